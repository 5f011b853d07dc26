using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary><see cref="MemoryMap.ToString"/> against Python's <c>repr</c>, and the enums' values against Python's <c>mmap</c> constants.</summary>
public class ReprAndConstantsTests
{
    /// <summary>Each Python constant name and the Overlay value it must equal. A Python constant missing here fails the test.</summary>
    private static readonly Dictionary<string, long> OverlayValues = new(StringComparer.Ordinal)
    {
        ["ACCESS_DEFAULT"] = (long)MapAccess.Default,
        ["ACCESS_READ"] = (long)MapAccess.Read,
        ["ACCESS_WRITE"] = (long)MapAccess.Write,
        ["ACCESS_COPY"] = (long)MapAccess.Copy,
        ["PAGESIZE"] = MemoryMap.PageSize,
        ["ALLOCATIONGRANULARITY"] = MemoryMap.AllocationGranularity,
        ["MAP_SHARED"] = (long)MapFlags.Shared,
        ["MAP_PRIVATE"] = (long)MapFlags.Private,
        ["MAP_SHARED_VALIDATE"] = (long)MapFlags.SharedValidate,
        ["MAP_ANON"] = (long)MapFlags.Anonymous,
        ["MAP_ANONYMOUS"] = (long)MapFlags.Anonymous,
        ["MAP_32BIT"] = (long)MapFlags.Map32Bit,
        ["MAP_GROWSDOWN"] = (long)MapFlags.GrowsDown,
        ["MAP_DENYWRITE"] = (long)MapFlags.DenyWrite,
        ["MAP_EXECUTABLE"] = (long)MapFlags.Executable,
        ["MAP_LOCKED"] = (long)MapFlags.Locked,
        ["MAP_NORESERVE"] = (long)MapFlags.NoReserve,
        ["MAP_POPULATE"] = (long)MapFlags.Populate,
        ["MAP_NONBLOCK"] = (long)MapFlags.NonBlock,
        ["MAP_STACK"] = (long)MapFlags.Stack,
        ["MAP_HUGETLB"] = (long)MapFlags.HugeTlb,
        ["MAP_SYNC"] = (long)MapFlags.Sync,
        ["MAP_FIXED"] = (long)MapFlags.Fixed,
        ["MAP_FIXED_NOREPLACE"] = (long)MapFlags.FixedNoReplace,
        ["MAP_UNINITIALIZED"] = (long)MapFlags.Uninitialized,
        ["PROT_NONE"] = (long)MapProtection.None,
        ["PROT_READ"] = (long)MapProtection.Read,
        ["PROT_WRITE"] = (long)MapProtection.Write,
        ["PROT_EXEC"] = (long)MapProtection.Execute,
        ["MADV_NORMAL"] = (long)MapAdvice.Normal,
        ["MADV_RANDOM"] = (long)MapAdvice.Random,
        ["MADV_SEQUENTIAL"] = (long)MapAdvice.Sequential,
        ["MADV_WILLNEED"] = (long)MapAdvice.WillNeed,
        ["MADV_DONTNEED"] = (long)MapAdvice.DontNeed,
        ["MADV_FREE"] = (long)MapAdvice.Free,
        ["MADV_REMOVE"] = (long)MapAdvice.Remove,
        ["MADV_DONTFORK"] = (long)MapAdvice.DontFork,
        ["MADV_DOFORK"] = (long)MapAdvice.DoFork,
        ["MADV_MERGEABLE"] = (long)MapAdvice.Mergeable,
        ["MADV_UNMERGEABLE"] = (long)MapAdvice.Unmergeable,
        ["MADV_HUGEPAGE"] = (long)MapAdvice.HugePage,
        ["MADV_NOHUGEPAGE"] = (long)MapAdvice.NoHugePage,
        ["MADV_DONTDUMP"] = (long)MapAdvice.DontDump,
        ["MADV_DODUMP"] = (long)MapAdvice.DoDump,
        ["MADV_WIPEONFORK"] = (long)MapAdvice.WipeOnFork,
        ["MADV_KEEPONFORK"] = (long)MapAdvice.KeepOnFork,
        ["MADV_COLD"] = (long)MapAdvice.Cold,
        ["MADV_PAGEOUT"] = (long)MapAdvice.PageOut,
        ["MADV_POPULATE_READ"] = (long)MapAdvice.PopulateRead,
        ["MADV_POPULATE_WRITE"] = (long)MapAdvice.PopulateWrite,
        ["MADV_HWPOISON"] = (long)MapAdvice.HardwarePoison,
        ["MADV_SOFT_OFFLINE"] = (long)MapAdvice.SoftOffline,
    };

    [Fact]
    public void EveryConstantPythonHasEqualsOverlays()
    {
        string output = RunPython(
            "import mmap\n" +
            "for name in sorted(dir(mmap)):\n" +
            "    value = getattr(mmap, name)\n" +
            "    if name.isupper() and type(value) is int:\n" +
            "        print(name, value)\n");

        var python = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));

        // Python 3.11 already has these; a much shorter list would mean the script did not run right.
        Assert.True(python.Count >= 30, output);
        Assert.Contains("MAP_SHARED", python.Keys);
        Assert.Contains("MADV_DONTNEED", python.Keys);

        var missing = python.Keys.Where(name => !OverlayValues.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, "Python has constants Overlay lacks: " + string.Join(", ", missing));
        foreach ((string name, long value) in python)
        {
            Assert.True(OverlayValues[name] == value, $"{name}: Python {value}, Overlay {OverlayValues[name]}");
        }
    }

    [Fact]
    public void ConstantsPythonDoesNotExposeHaveLinuxsValues()
    {
        // From <asm-generic/mman-common.h> and <linux/mman.h>, the same on x86-64 and arm64.
        Assert.Equal(0x03, (int)MapFlags.SharedValidate);
        Assert.Equal(0x10, (int)MapFlags.Fixed);
        Assert.Equal(0x2000, (int)MapFlags.Locked);
        Assert.Equal(0x10000, (int)MapFlags.NonBlock);
        Assert.Equal(0x40000, (int)MapFlags.HugeTlb);
        Assert.Equal(0x80000, (int)MapFlags.Sync);
        Assert.Equal(0x100000, (int)MapFlags.FixedNoReplace);
        Assert.Equal(0x4000000, (int)MapFlags.Uninitialized);
        Assert.Equal(0x01000000, (int)MapProtection.GrowsDown);
        Assert.Equal(0x02000000, (int)MapProtection.GrowsUp);
        Assert.Equal(18, (int)MapAdvice.WipeOnFork);
        Assert.Equal(20, (int)MapAdvice.Cold);
        Assert.Equal(22, (int)MapAdvice.PopulateRead);
        Assert.Equal(24, (int)MapAdvice.DontNeedLocked);
        Assert.Equal(25, (int)MapAdvice.Collapse);
        Assert.Equal(101, (int)MapAdvice.SoftOffline);
    }

    [Fact]
    public void ToStringMatchesPythonsRepr()
    {
        // Each case: kind (file or anon), access, length, offset, cursor.
        (string Kind, MapAccess Access, long Length, long Offset, long Seek)[] cases =
        [
            ("file", MapAccess.Default, 0, 0, 3),
            ("file", MapAccess.Write, 100, 0, 100),
            ("file", MapAccess.Read, 0, 4096, 10),
            ("file", MapAccess.Copy, 0, 8192, 0),
            ("file", MapAccess.Write, 5000, 4096, 4999),
            ("anon", MapAccess.Default, 5000, 0, 4999),
            ("anon", MapAccess.Copy, 4096, 0, 1),
            ("anon", MapAccess.Read, 10, 0, 0),
            ("anon", MapAccess.Write, 1, 0, 1),
        ];

        using var file = FeatureTempFile.WithPattern(3 * 4096);
        string script =
            "import mmap, sys\n" +
            "path = sys.argv[1]\n" +
            "for case in sys.argv[2:]:\n" +
            "    kind, access, length, offset, seek = case.split(',')\n" +
            "    access = getattr(mmap, 'ACCESS_' + access.upper())\n" +
            "    if kind == 'file':\n" +
            "        f = open(path, 'rb' if access in (mmap.ACCESS_READ, mmap.ACCESS_COPY) else 'r+b')\n" +
            "        m = mmap.mmap(f.fileno(), int(length), access=access, offset=int(offset))\n" +
            "        f.close()\n" +
            "    else:\n" +
            "        m = mmap.mmap(-1, int(length), access=access)\n" +
            "    m.seek(int(seek))\n" +
            "    print(repr(m))\n" +
            "    m.close()\n" +
            "    print(repr(m))\n";
        var arguments = new List<string> { file.Path };
        arguments.AddRange(cases.Select(c => string.Join(',', c.Kind, c.Access, c.Length, c.Offset, c.Seek)));
        string[] expected = RunPython(script, arguments.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 * cases.Length, expected.Length);

        for (int i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            MemoryMap map = c.Kind == "file"
                ? MemoryMap.Open(file.Path, c.Access, c.Length, c.Offset)
                : MemoryMap.Anonymous(c.Length, access: c.Access);
            map.Seek(c.Seek);
            Assert.Equal(FromPython(expected[2 * i]), map.ToString());
            map.Close();
            Assert.Equal(FromPython(expected[(2 * i) + 1]), map.ToString());
        }
    }

    [Fact]
    public void ToStringHasTheDocumentedShape()
    {
        using var file = new FeatureTempFile("hello world"u8);
        var map = MemoryMap.Open(file.Path, MapAccess.Default);
        Assert.Equal("MemoryMap(closed=False, access=Default, length=11, pos=0, offset=0)", map.ToString());
        map.Seek(0, SeekOrigin.End);
        Assert.Equal("MemoryMap(closed=False, access=Default, length=11, pos=11, offset=0)", map.ToString());
        map.Resize(5);
        Assert.Equal("MemoryMap(closed=False, access=Default, length=5, pos=11, offset=0)", map.ToString());
        map.Dispose();
        Assert.Equal("MemoryMap(closed=True)", map.ToString());
    }

    /// <summary>Python's <c>&lt;mmap.mmap closed=False, access=ACCESS_READ, ...&gt;</c> in Overlay's spelling.</summary>
    private static string FromPython(string repr)
    {
        Assert.StartsWith("<mmap.mmap ", repr);
        Assert.EndsWith(">", repr);
        string inner = repr["<mmap.mmap ".Length..^1];
        foreach (MapAccess access in Enum.GetValues<MapAccess>())
        {
            inner = inner.Replace("access=ACCESS_" + access.ToString().ToUpperInvariant(), "access=" + access, StringComparison.Ordinal);
        }

        return "MemoryMap(" + inner + ")";
    }

    /// <summary>Runs a script with CPython 3.13 when pyenv has it, else the default python3.</summary>
    private static string RunPython(string script, params string[] arguments)
    {
        foreach (string? version in new[] { "3.13.0", null })
        {
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (version is not null)
            {
                start.Environment["PYENV_VERSION"] = version;
            }

            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode == 0)
            {
                return output;
            }

            if (version is null)
            {
                throw new InvalidOperationException($"python3 failed ({process.ExitCode}): {error.Result}");
            }
        }

        throw new InvalidOperationException("unreachable");
    }
}
