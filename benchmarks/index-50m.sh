#!/usr/bin/env bash
# Issue 10 at 50M keys (a file larger than a 2 GiB window; "no cliff beyond page-cache effects").
# Not in CI. Two BenchmarkDotNet runs:
#   1. IndexBuildBenchmarks with OVERLAY_INDEX_BUILD_KEYS=50000000, one build: the bulk builder
#      (HashIndexBuilder: sorted by home, written in slot order with large writes and one fsync).
#      OVERLAY_50M_INSERTS=1 adds the pre-sized inserts (MappedHashIndex.Create + GetOrAdd + Flush:
#      about 9 minutes at 50M under load); OVERLAY_50M_RAW=1 the raw-pointer hash's durable build
#      (inserts through the map + msync: over 20 minutes at 50M); OVERLAY_50M_SECTION=1 the bulk
#      builder's section form (MappedContainer.BuildHashIndex + Commit: about the file form's time).
#      All three are left out by default.
#   2. IndexScaleBenchmarks with OVERLAY_INDEX_SCALE_KEYS=1000000,50000000: the raw-pointer hash's
#      hits (the baseline, its table written in slot order, not timed), Overlay's hash hits and
#      misses, sorted point hits and 1,000-key scans, random keys, warm cache, at 1M and 50M in one run.
# Disk: about 17 GB free in $TMPDIR at the peak (the 3.2 GB table, its 2.4 GB spill and partitions,
# the 2 GB sorted index and its runs, the 5.4 GB raw table); every file is deleted at the end of
# each run. Memory: the three 50M files stay in the page cache for the lookups (about 11 GB).
# The defaults took about 15 minutes under load (docs/benchmarks/indexes.md); one build may pass
# the in-process toolchain's 5-minute limit, so it is lifted to 60.
#   benchmarks/index-50m.sh            # 50M
#   benchmarks/index-50m.sh 10000000   # another key count (further arguments go to BenchmarkDotNet)
set -euo pipefail
cd "$(dirname "$0")/.."
keys="${1:-50000000}"
export OVERLAY_BENCH_TIMEOUT_MINUTES="${OVERLAY_BENCH_TIMEOUT_MINUTES:-60}"
builds=('*IndexBuildBenchmarks.OverlayBulkDurableBuild')
if [ "${OVERLAY_50M_INSERTS:-0}" = 1 ]; then
    builds+=('*IndexBuildBenchmarks.OverlayDurableBuild')
fi
if [ "${OVERLAY_50M_SECTION:-0}" = 1 ]; then
    builds+=('*IndexBuildBenchmarks.OverlaySectionBulkDurableBuild')
fi
if [ "${OVERLAY_50M_RAW:-0}" = 1 ]; then
    builds+=('*IndexBuildBenchmarks.RawDurableBuild')
fi

start=$(date +%s)
uptime
OVERLAY_INDEX_BUILD_KEYS="$keys" dotnet run -c Release --project benchmarks/Overlay.Benchmarks -- \
  --filter "${builds[@]}" --warmupCount 0 --iterationCount 1 --invocationCount 1 --unrollFactor 1 "${@:2}"
uptime
OVERLAY_INDEX_SCALE_KEYS="1000000,$keys" dotnet run -c Release --project benchmarks/Overlay.Benchmarks -- \
  --filter '*IndexScaleBenchmarks*' "${@:2}"
uptime
echo "index-50m.sh: $keys keys, $(( $(date +%s) - start )) s in all"
