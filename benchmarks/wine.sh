#!/usr/bin/env bash
# Issue 12's benchmarks of the Windows back end under Wine: publishes benchmarks/Overlay.Benchmarks
# self-contained for win-x64 and runs, under /usr/lib/wine/wine64, the classes that make no libc
# call: WineOpenCloseBenchmarks (open + map + close of a 256 MiB file) and WineFieldReadBenchmarks
# (a field read over it), each against MemoryMappedFile + CreateViewAccessor in the same process,
# on the same files. Wine numbers are indicative, not Windows numbers (docs/benchmarks.md).
#
#   benchmarks/wine.sh                                    # side by side, then both classes, one process each (about 10 minutes)
#   benchmarks/wine.sh --wine-side-by-side [rounds]       # only the side-by-side comparison (about 1 minute)
#   benchmarks/wine.sh --filter '*SequentialBenchmarks*'  # BenchmarkDotNet arguments replace the default filters
#
# The side-by-side comparison (WineSideBySide.cs) runs each way once per round, in rotating order:
# the figures to quote on a shared machine, where BenchmarkDotNet's one-after-the-other runs meet
# different loads (docs/benchmarks.md). On Linux the same comparison is
#   dotnet run -c Release --project benchmarks/Overlay.Benchmarks -- --wine-side-by-side
#
# One class per process: after the first class's CSV report, a run of two classes once hung under
# Wine in BenchmarkDotNet's markdown export (the process left no CPU used, as in docs/platforms.md).
#
# Needs Wine (scripts/install-wine.sh). Everything goes to artifacts/winebench (ignored by git):
# build/, publish/, prefix/ (the Wine prefix, made on first use), results/ (BenchmarkDotNet's
# reports). The 256 MiB files are made once in a temporary directory and deleted at the end.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/artifacts/winebench"
wine=/usr/lib/wine/wine64
if [ ! -x "$wine" ]; then
    echo "Wine is not installed: run scripts/install-wine.sh first." >&2
    exit 1
fi


dotnet publish "$root/benchmarks/Overlay.Benchmarks" -c Release -r win-x64 --self-contained \
    --artifacts-path "$work/build" -o "$work/publish" \
    -p:ValidateExecutableReferencesMatchSelfContained=false -nologo -v quiet

data="$(mktemp -d -t overlay-winebench.XXXXXX)"
trap 'rm -rf "$data"' EXIT
mkdir -p "$work/results"

echo "# load before: $(uptime)"
cd "$work"
# Wine sees the Linux root as drive Z:. W^X off: .NET's double-mapped JIT code crashes under Wine
# (docs/platforms.md).
run() {
    OVERLAY_BENCH_DIR="Z:${data//\//\\}" WINEPREFIX="$work/prefix" WINEDEBUG=-all DOTNET_EnableWriteXorExecute=0 \
        "$wine" "$work/publish/Overlay.Benchmarks.exe" "$@" --artifacts "Z:${work//\//\\}\\results"
}
if [ "$#" -eq 0 ]; then
    run --wine-side-by-side
    run --filter '*WineOpenCloseBenchmarks*'
    run --filter '*WineFieldReadBenchmarks*'
else
    run "$@"
fi
echo "# load after: $(uptime)"
