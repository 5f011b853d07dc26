#!/usr/bin/env bash
# Build-time cost of the Overlay analyzers (issue 4: at most 10% slower).
#
# Generates a project of FILES C# files that use MemoryMap, then builds it RUNS times without and
# RUNS times with Overlay.Analyzers.dll as an <Analyzer>, alternating (without, with, without,
# ...) after `dotnet build-server shutdown` and one warm-up build of each. Every build uses
# --no-incremental, so the compiler really runs. Prints the median wall time of `dotnet build`
# and the median time of the Csc task, for both, and their ratios.
#
# VARIANT is what the files hold:
#   realistic  each file a service class of 12 methods, 3 of which use maps or views, 8 ordinary
#              logic of similar size (the case issue 4 is judged on);
#   worst      every member of every file uses maps, most need the flow analysis (an upper bound).
#
# Usage: benchmarks/analyzer-build-time.sh [VARIANT=realistic] [RUNS=5] [FILES=500]
# Env:   ARTIFACTS (default /tmp/art-analyzer-bench) for the Overlay build, WORK for the project
#        (KEEP=1 keeps it; GENERATE_ONLY=1 only generates and restores it, and keeps it),
#        SEQUENTIAL=1 for one block per configuration instead of alternating.
set -euo pipefail

VARIANT=${1:-realistic}
RUNS=${2:-5}
FILES=${3:-500}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ARTIFACTS=${ARTIFACTS:-/tmp/art-analyzer-bench}
WORK=${WORK:-$(mktemp -d /tmp/overlay-analyzer-bench.XXXXXX)}
[[ ${KEEP:-0} == 1 || ${GENERATE_ONLY:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK"

echo "Building Overlay.Runtime and Overlay.Analyzers (Release) ..." >&2
dotnet build "$ROOT/src/Runtime/Overlay.Runtime.csproj" -c Release --artifacts-path "$ARTIFACTS" -v q -nologo >&2
dotnet build "$ROOT/src/Analyzers/Overlay.Analyzers.csproj" -c Release --artifacts-path "$ARTIFACTS" -v q -nologo >&2
RUNTIME_DLL="$ARTIFACTS/bin/Overlay.Runtime/release/Overlay.Runtime.dll"
ANALYZER_DLL="$ARTIFACTS/bin/Overlay.Analyzers/release/Overlay.Analyzers.dll"
test -f "$RUNTIME_DLL" && test -f "$ANALYZER_DLL"

echo "Generating $FILES files in $WORK ..." >&2
cat > "$WORK/Bench.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <OutputType>Library</OutputType>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="Overlay.Runtime" HintPath="$RUNTIME_DLL" />
    <Analyzer Include="$ANALYZER_DLL" Condition="'\$(UseOverlayAnalyzers)' == 'true'" />
  </ItemGroup>
</Project>
XML

cat > "$WORK/Layouts.cs" <<'CS'
using Overlay;

namespace Bench;

public struct Record
{
    public int Id;

    public readonly struct View : IMappedView<View>
    {
        private readonly MemoryMap _map;
        private readonly long _offset;

        public View(MemoryMap map, long offset)
        {
            map.EnsureRange(offset, 8);
            _map = map;
            _offset = offset;
        }

        public MemoryMap Map => _map;
        public long Offset => _offset;

        public int Id
        {
            get => _map.ReadAt<int>(_offset);
            set => _map.WriteAt(_offset, value);
        }

        public MappedValueArray<ushort> Slots => new(_map, _offset + 4, 2, false);

        static int IMappedView<View>.SizeInBytes => 8;
        static ulong IMappedView<View>.LayoutFingerprint => 1UL;
        static bool IMappedView<View>.IsReadOnly => false;
        static View IMappedView<View>.Create(MemoryMap map, long offset) => new(map, offset);
    }
}
CS

# worst: every member of every file uses maps (and most need the flow analysis).
gen_worst() { # $1 = file index
  local i=$1
  cat <<CS
using System;
using Overlay;

namespace Bench;

public sealed class Worker$i : IDisposable
{
    private const MapAccess Mode = MapAccess.Read;
    private readonly MemoryMap _source = MemoryMap.Open("input$i.bin", Mode);
    private readonly MemoryMap _target;

    public Worker$i(string path) => _target = MemoryMap.Open(path, MapAccess.Write, 0, $(( (i % 4) * 4096 )));

    public long Checksum()
    {
        long sum = 0;
        for (long p = 0; p < _source.Length; p++)
        {
            sum += _source[p];
        }

        return sum + _source.Find(new byte[] { $((i % 200)) });
    }

    public void Copy(bool grow, int count)
    {
        var copy = MemoryMap.Open("copy$i.bin", MapAccess.Copy);
        copy.WriteByte($((i % 256)));
        var view = new Record.View(grow ? _target : copy, 0);
        view.Id = count;
        var slots = view.Slots;
        slots[0] = (ushort)count;
        if (grow)
        {
            _target.Resize(_target.Length + 4096);
        }

        using var scratch = MemoryMap.Anonymous(4096, protection: MapProtection.Read | MapProtection.Write);
        for (int k = 0; k < count; k++)
        {
            scratch[k % 4096] = (byte)k;
            scratch.WriteAt(k % 4000, k);
        }

        MemoryMap either = count > $i ? MemoryMap.Open("a$i.bin", MapAccess.Read) : scratch;
        either.Write(new byte[] { 1, 2, 3 });
        _target[0..2] = copy[0..2];
    }

    public int Read(string path)
    {
        using var map = MemoryMap.Open(path, MapAccess.Read);
        var view = new Record.View(map, 0);
        try
        {
            return view.Id + map.ReadByte() + map.ReadAt<int>(4);
        }
        finally
        {
            map.Flush();
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }
}
CS
}

# realistic: each file is a service class with 12 methods: 3 use maps or views (a view over a
# readonly field opened MapAccess.Read, a map opened MapAccess.Write and written through views,
# a method taking views), Dispose disposes the map, and 8 are ordinary logic of similar size:
# parsing, LINQ, collections, a switch, string building, exception handling, a generic helper,
# an async method with a lambda.
gen_realistic() { # $1 = file index
  local i=$1
  cat <<CS
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Overlay;

namespace Bench;

public enum Kind$i { None, Small, Medium, Large }

public sealed class Service$i : IDisposable
{
    private readonly MemoryMap _index = MemoryMap.Open("index$i.bin", MapAccess.Read);
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _names = new();
    private int _total;

    public int Lookup(long slot)
    {
        var view = new Record.View(_index, slot * 8);
        return view.Id + _index.ReadByte();
    }

    public void Save(string path, IReadOnlyList<int> values)
    {
        using var map = MemoryMap.Open(path, MapAccess.Write, 0, $(( (i % 4) * 4096 )));
        for (int k = 0; k < values.Count; k++)
        {
            var record = new Record.View(map, k * 8L);
            record.Id = values[k];
        }
    }

    public static int Sum(Record.View first, Record.View second) => first.Id + second.Id;

    public int Parse(string line)
    {
        int count = 0;
        foreach (string part in line.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                _total += value;
                count++;
            }
            else
            {
                _names.Add(part);
            }
        }

        return count;
    }

    public IReadOnlyList<string> Top(int n) =>
        _counts.Where(p => p.Value > $((i % 7)))
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(n)
            .Select(p => p.Key)
            .ToList();

    public void Count(IEnumerable<string> words)
    {
        foreach (string word in words)
        {
            string key = word.ToLowerInvariant();
            _counts[key] = _counts.TryGetValue(key, out int c) ? c + 1 : 1;
        }
    }

    public static Kind$i Classify(long size) => size switch
    {
        <= 0 => Kind$i.None,
        < 4096 => Kind$i.Small,
        < 1 << 20 => Kind$i.Medium,
        _ => Kind$i.Large,
    };

    public string Describe()
    {
        var builder = new StringBuilder();
        builder.Append("Service$i: ").Append(_total).Append(" in ").Append(_names.Count).Append(" names");
        foreach (IGrouping<int, string> group in _names.GroupBy(name => name.Length).OrderBy(g => g.Key))
        {
            builder.AppendLine().Append(\$"  {group.Key}: {string.Join(", ", group)}");
        }

        return builder.ToString();
    }

    public bool TryLoad(Func<string> read, out string? error)
    {
        try
        {
            Parse(read());
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
        finally
        {
            _total = Math.Max(_total, 0);
        }
    }

    public static T Largest<T>(IEnumerable<T> items, Func<T, long> size)
    {
        T best = default!;
        long max = long.MinValue;
        foreach (T item in items)
        {
            long s = size(item);
            if (s > max)
            {
                (best, max) = (item, s);
            }
        }

        return best;
    }

    public async Task<int> CountLinesAsync(Func<Task<string>> next, int limit)
    {
        int lines = 0;
        while (lines < limit)
        {
            string text = await next().ConfigureAwait(false);
            if (text.Length == 0)
            {
                break;
            }

            lines += text.Count(ch => ch == '\n');
        }

        return lines;
    }

    public void Dispose() => _index.Dispose();
}
CS
}

case $VARIANT in
  worst | realistic) ;;
  *) echo "unknown variant '$VARIANT' (worst or realistic)" >&2; exit 2 ;;
esac
for ((i = 0; i < FILES; i++)); do
  "gen_$VARIANT" "$i" > "$WORK/File$i.cs"
done

# An OVL004 warning proves the analyzer runs when it is referenced (it must not appear without it).
cat > "$WORK/Probe.cs" <<'CS'
namespace Bench;

internal static class Probe
{
    internal static Overlay.MemoryMap Unaligned() => Overlay.MemoryMap.Open("probe.bin", offset: 100);
}
CS

dotnet restore "$WORK/Bench.csproj" -v q -nologo >&2
if [[ ${GENERATE_ONLY:-0} == 1 ]]; then
  echo "$WORK"
  exit 0
fi

build_once() { # $1 = true|false; prints "wall_ms csc_ms overlay_ms ovl004_warnings"
  local log start end csc overlay ovl
  log="$WORK/build.log"
  start=$(date +%s%N)
  dotnet build "$WORK/Bench.csproj" --no-restore --no-incremental -c Release -nologo \
    -p:UseOverlayAnalyzers="$1" -p:ReportAnalyzer=true -clp:PerformanceSummary -v d > "$log"
  end=$(date +%s%N)
  csc=$(awk '/Task Performance Summary/ { on = 1 } on && $NF == "calls" && $3 == "Csc" { print $1; exit }' "$log")
  # -p:ReportAnalyzer=true: the compiler's own account of the time spent in each analyzer assembly
  # (summed over threads), which the machine's load disturbs far less than wall time.
  overlay=$(awk '$3 ~ /^Overlay\.Analyzers,$/ { printf "%d", $1 * 1000; exit }' "$log")
  ovl=$(grep -c "warning OVL004" "$log" || true)
  echo "$(( (end - start) / 1000000 )) ${csc:-0} ${overlay:-0} $ovl"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Both configurations share one compiler server, started fresh: shut down, one warm-up build
# each, then the timed builds alternate (without, with, without, ...) so that load from other
# processes on the machine falls on both alike. SEQUENTIAL=1 instead runs each configuration as
# a block after its own `dotnet build-server shutdown` and warm-up.
declare -A WALLS CSCS
OVERLAY_TIMES=()
probe() { # $1 config, $2 OVL004 count
  if [[ $1 == true && $2 -eq 0 ]] || [[ $1 == false && $2 -ne 0 ]]; then
    echo "analyzer probe failed: UseOverlayAnalyzers=$1 gave $2 OVL004 warnings" >&2
    exit 1
  fi
}
timed() { # $1 config, $2 run
  local wall csc overlay ovl
  read -r wall csc overlay ovl < <(build_once "$1")
  probe "$1" "$ovl"
  echo "analyzers=$1 run $2: build ${wall} ms, Csc ${csc} ms, Overlay.Analyzers ${overlay} ms" >&2
  WALLS[$1]+="$wall "
  CSCS[$1]+="$csc "
  [[ $1 == true ]] && OVERLAY_TIMES+=("$overlay")
  return 0
}
if [[ ${SEQUENTIAL:-0} == 1 ]]; then
  for config in false true; do
    dotnet build-server shutdown > /dev/null 2>&1 || true
    read -r _ _ _ ovl < <(build_once "$config"); probe "$config" "$ovl"
    for ((r = 1; r <= RUNS; r++)); do timed "$config" "$r"; done
  done
else
  dotnet build-server shutdown > /dev/null 2>&1 || true
  for config in false true; do
    read -r _ _ _ ovl < <(build_once "$config"); probe "$config" "$ovl"
  done
  for ((r = 1; r <= RUNS; r++)); do
    timed false "$r"
    timed true "$r"
  done
fi
dotnet build-server shutdown > /dev/null 2>&1 || true

med() { tr ' ' '\n' <<< "$1" | grep . | median; }
WALL_OFF=$(med "${WALLS[false]}"); WALL_ON=$(med "${WALLS[true]}")
CSC_OFF=$(med "${CSCS[false]}"); CSC_ON=$(med "${CSCS[true]}")
OVERLAY=$(printf '%s\n' "${OVERLAY_TIMES[@]}" | median)

echo
echo "Variant: $VARIANT. Files: $FILES (+2), runs: $RUNS per configuration ($([[ ${SEQUENTIAL:-0} == 1 ]] && echo sequential || echo interleaved), after warm-up), dotnet $(dotnet --version), $(nproc) cores"
printf '%-24s %12s %12s\n' "" "build (ms)" "Csc (ms)"
printf '%-24s %12s %12s\n' "without analyzers" "$WALL_OFF" "$CSC_OFF"
printf '%-24s %12s %12s\n' "with Overlay.Analyzers" "$WALL_ON" "$CSC_ON"
awk -v a="$WALL_OFF" -v b="$WALL_ON" -v c="$CSC_OFF" -v d="$CSC_ON" \
  'BEGIN { printf "%-24s %12.3f %12.3f\n", "ratio (with/without)", b / a, d / c }'
awk -v o="$OVERLAY" -v c="$CSC_OFF" \
  'BEGIN { printf "Overlay.Analyzers time (ReportAnalyzer, median): %d ms = %.1f%% of the Csc time without analyzers\n", o, 100 * o / c }'
