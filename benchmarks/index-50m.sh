#!/usr/bin/env bash
# The hash index's durable build at 50M keys (issue 10: a file larger than a 2 GiB window; "no
# cliff beyond page-cache effects"): IndexBuildBenchmarks with OVERLAY_INDEX_BUILD_KEYS=50000000,
# Overlay (pre-sized and growing) against the raw-pointer hash, one build each (LMDB and SQLite
# are skipped at this size). Needs about 20 GB free in $TMPDIR (the raw table is 5.4 GB, Overlay's
# 6.4 GB; the growing build's file ends near 7.7 GB) and a few minutes (one build may pass the
# in-process toolchain's 5-minute limit, so it is lifted to 60). Not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
OVERLAY_BENCH_TIMEOUT_MINUTES="${OVERLAY_BENCH_TIMEOUT_MINUTES:-60}" OVERLAY_INDEX_BUILD_KEYS="${1:-50000000}" dotnet run -c Release --project benchmarks/Overlay.Benchmarks -- \
  --filter '*IndexBuildBenchmarks.RawDurableBuild*' '*IndexBuildBenchmarks.OverlayDurableBuild*' \
  --warmupCount 0 --iterationCount 1 --invocationCount 1 --unrollFactor 1 "${@:2}"
