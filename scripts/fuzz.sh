#!/usr/bin/env bash
# Coverage-guided fuzzing of one file format with SharpFuzz and afl-fuzz (docs/durability.md,
# "Coverage-guided fuzzing"):
#
#   scripts/fuzz.sh TARGET [MINUTES]      TARGET: container, hash-index, sorted-index, schema, record-file
#
# Installs what is missing (afl++ from the distribution's packages, SharpFuzz.CommandLine 2.3.0
# as a tool under .fuzz/), publishes tests/Overlay.Fuzz into .fuzz/TARGET/bin (never into the
# normal build output: the instrumented Overlay.Runtime.dll must not reach the tests), instruments
# Overlay.Runtime.dll, and runs afl-fuzz at nice 19 on one core for MINUTES (default 10), starting
# from the committed corpus plus the target's fresh seed files. Afterwards it minimises the queue
# with afl-cmin into tests/Overlay.Fuzz/corpus/TARGET (gzipped; commit it), prints afl-fuzz's statistics,
# and copies any crash into tests/Overlay.Fuzz/findings/TARGET: replay one, uninstrumented, with
#   dotnet .fuzz/TARGET/plain/Overlay.Fuzz.dll TARGET --replay FILE
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/fuzz.sh TARGET [MINUTES]  (container, hash-index, sorted-index, schema, record-file)}"
minutes="${2:-10}"
root="$PWD"
work="$root/.fuzz/$target"
bin="$work/bin"
corpus="$root/tests/Overlay.Fuzz/corpus/$target"

if ! command -v afl-fuzz >/dev/null; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update && $sudo apt-get install -y afl++
fi
if [ ! -x "$root/.fuzz/tools/sharpfuzz" ]; then
    dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$root/.fuzz/tools"
fi

rm -rf "$work"
mkdir -p "$work/in"
dotnet publish tests/Overlay.Fuzz -c Release -o "$bin" --nologo -v quiet
# Seeds first: instrumented code faults outside afl-fuzz (its coverage map does not exist yet).
dotnet "$bin/Overlay.Fuzz.dll" "$target" --seeds "$work/in"
# The committed corpus is gzipped (a container is mostly zeros: 40 KB raw, about 1 KB gzipped).
if [ -d "$corpus" ]; then
    for file in "$corpus"/*.gz; do [ -e "$file" ] && gunzip -c "$file" > "$work/in/corpus-$(basename "$file" .gz)"; done
fi
cp -r "$bin" "$work/plain"
"$root/.fuzz/tools/sharpfuzz" "$bin/Overlay.Runtime.dll"

export AFL_SKIP_BIN_CHECK=1              # dotnet itself is not instrumented; SharpFuzz speaks the fork-server protocol
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
echo "afl-fuzz: $target for $minutes minutes, log in $work/afl.log"
nice -n 19 afl-fuzz -i "$work/in" -o "$work/out" -t 10000 -m none -V "$((minutes * 60))" \
    -- dotnet "$bin/Overlay.Fuzz.dll" "$target" > "$work/afl.log" 2>&1 || { tail -30 "$work/afl.log"; exit 1; }

stats="$work/out/default/fuzzer_stats"
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|edges_found|total_edges|bitmap_cvg|saved_crashes|saved_hangs)\b' "$stats"

rm -rf "$work/min"
nice -n 19 afl-cmin -i "$work/out/default/queue" -o "$work/min" -t 10000 -m none \
    -- "$(command -v dotnet)" "$bin/Overlay.Fuzz.dll" "$target" > "$work/cmin.log" 2>&1 || { tail -20 "$work/cmin.log"; exit 1; }
rm -rf "$corpus"
mkdir -p "$corpus"
i=0
for file in "$work/min"/*; do
    gzip -9nc "$file" > "$corpus/$(printf '%s-%03d' "$target" "$i").gz"
    i=$((i + 1))
done
echo "corpus: $i files, $(du -sh "$corpus" | cut -f1) in $corpus"

crashes=("$work/out/default/crashes"/id:*)
if [ -e "${crashes[0]}" ]; then
    mkdir -p "$root/tests/Overlay.Fuzz/findings/$target"
    n=0
    for crash in "${crashes[@]}"; do
        # afl's names hold colons (not portable); gzipped like the corpus. Rename each after its cause.
        gzip -9nc "$crash" > "$root/tests/Overlay.Fuzz/findings/$target/crash-$(date +%Y%m%d%H%M)-$n.gz"
        n=$((n + 1))
    done
    echo "CRASHES: ${#crashes[@]}, copied to tests/Overlay.Fuzz/findings/$target; replay (gunzip first): dotnet $work/plain/Overlay.Fuzz.dll $target --replay FILE"
fi
