#!/usr/bin/env bash
# Runs every benchmark of issues #2 and #3 on one set of files: BenchmarkDotNet (C#, short in-process job)
# and then benchmarks/python/mmap_bench.py (Python's mmap), and checks the targets.
#
#   benchmarks/run.sh                      # everything (issue #2: 3.5-4 minutes, issue #3: about 8 more)
#   benchmarks/run.sh --filter '*Find*'    # BenchmarkDotNet arguments replace the default --filter '*'
#   benchmarks/run.sh --filter '*LayoutBenchmarks*' '*AppendBenchmarks*' '*GeneratorBenchmarks*'
#                                          # issue #3 only (about 8 minutes on 2 busy cores; the
#                                          # Python half then reports only what it finds)
#
# The files (256 MiB of random bytes, 256 MiB of 80-byte lines, 4 KiB) are made once in a temporary
# directory, read once to sit in the page cache, and deleted at the end. Results go to
# $OVERLAY_BENCH_OUT (default BenchmarkDotNet.Artifacts/ at the repository root, ignored by git):
# results/*.md (BenchmarkDotNet's tables), python.md (Python's table and the targets), run.log.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OVERLAY_BENCH_OUT:-$root/BenchmarkDotNet.Artifacts}"
mkdir -p "$out"
rm -rf "$out/results"  # no stale reports in the target table

data="$(mktemp -d -t overlay-bench.XXXXXX)"
trap 'rm -rf "$data"' EXIT
export OVERLAY_BENCH_DIR="$data"

if PYENV_VERSION=3.13.0 python3 -c '' 2>/dev/null; then
    python=(env PYENV_VERSION=3.13.0 python3)
else
    python=(python3)
fi

if [ "$#" -eq 0 ]; then
    set -- --filter '*'
fi

{
    echo "# machine"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
    echo "dotnet: $(dotnet --version) (SDK)"
    echo "python: $("${python[@]}" --version 2>&1)"
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "# dotnet run -c Release --project benchmarks/Overlay.Benchmarks -- $* --artifacts $out"
    dotnet run -c Release --project "$root/benchmarks/Overlay.Benchmarks" -- "$@" --artifacts "$out"
    echo "load after BenchmarkDotNet: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "# ${python[*]} benchmarks/python/mmap_bench.py \$OVERLAY_BENCH_DIR --bdn $out/results"
    "${python[@]}" "$root/benchmarks/python/mmap_bench.py" "$data" --bdn "$out/results" --markdown "$out/python.md" --json "$out/python.json"
    echo "load after Python: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out/run.log"
