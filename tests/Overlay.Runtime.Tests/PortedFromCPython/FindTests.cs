using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>
/// test_tougher_find, test_find_end (3.14's sweep), test_rfind,
/// test_find_does_not_access_beyond_buffer and the rows of §7 on <c>X</c> = "abcdabcdab".
/// </summary>
public sealed class FindTests : IDisposable
{
    private readonly MemoryMap _x;

    public FindTests()
    {
        _x = MemoryMap.Anonymous(TempFile.Abcd.Length);
        _x[..] = TempFile.Abcd;
    }

    public void Dispose() => _x.Dispose();

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>
    /// Python's <c>bytes.find</c>/<c>rfind</c>, written from its rules: negative bounds get the
    /// length added and are clamped at 0, end is clamped at the length, then a window shorter than
    /// the needle finds nothing (so a start past the end gives -1 even for an empty needle, which is
    /// the gh-151021 fix for mmap), else a naive scan from the left or the right.
    /// </summary>
    private static long ReferenceFind(byte[] data, byte[] sub, long start, long end, bool reverse)
    {
        long length = data.Length;
        if (end > length)
        {
            end = length;
        }
        else if (end < 0)
        {
            end = Math.Max(0, end + length);
        }

        if (start < 0)
        {
            start = Math.Max(0, start + length);
        }

        if (end - start < sub.Length)
        {
            return -1;
        }

        bool MatchesAt(long i)
        {
            for (int k = 0; k < sub.Length; k++)
            {
                if (data[i + k] != sub[k])
                {
                    return false;
                }
            }

            return true;
        }

        if (reverse)
        {
            for (long i = end - sub.Length; i >= start; i--)
            {
                if (MatchesAt(i))
                {
                    return i;
                }
            }
        }
        else
        {
            for (long i = start; i + sub.Length <= end; i++)
            {
                if (MatchesAt(i))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    [Fact]
    public void ReferenceFind_AgreesWithPythonOnKnownValues()
    {
        // Guards the reference itself against a few values measured on CPython's bytes.find.
        byte[] x = TempFile.Abcd;
        Assert.Equal(4, ReferenceFind(x, B("a"), 1, 10, false));
        Assert.Equal(-1, ReferenceFind(x, B("ab"), 0, -100, false));
        Assert.Equal(10, ReferenceFind(x, B(""), 10, 10, false));
        Assert.Equal(-1, ReferenceFind(x, B(""), 11, 10, false));
        Assert.Equal(4, ReferenceFind(x, B("ab"), 0, 9, true));
        Assert.Equal(4, ReferenceFind(x, B(""), 0, 4, true));
    }

    [Theory]
    [InlineData("a", 0L)]
    [InlineData("cd", 2L)]
    [InlineData("", 0L)]
    [InlineData("abcdabcdab", 0L)]
    [InlineData("abcdabcdabc", -1L)]
    [InlineData("x", -1L)]
    public void Find_Defaults(string sub, long expected)
    {
        Assert.Equal(expected, _x.Find(B(sub)));
    }

    [Fact]
    public void Find_StartDefaultsToTheCursor()
    {
        _x.Seek(1);
        Assert.Equal(4, _x.Find("a"u8));
        _x.Seek(0, SeekOrigin.End);
        Assert.Equal(-1, _x.Find("a"u8));
        Assert.Equal(10, _x.Tell()); // find does not move the cursor
    }

    [Theory]
    [InlineData("a", 1L, null, 4L)]
    [InlineData("a", -3L, null, 8L)]
    [InlineData("a", -100L, null, 0L)]
    [InlineData("a", 100L, null, -1L)]
    [InlineData("ab", 0L, 2L, 0L)]
    [InlineData("ab", 0L, 1L, -1L)]
    [InlineData("ab", 1L, -1L, 4L)]
    [InlineData("ab", 5L, 100L, 8L)]
    [InlineData("ab", 0L, -100L, -1L)]
    [InlineData("a", 5L, 3L, -1L)]
    [InlineData("", 4L, null, 4L)]
    [InlineData("", 10L, null, 10L)]
    [InlineData("", 11L, null, -1L)] // gh-151021 fix: CPython up to 3.14 returns 10
    [InlineData("", 100L, null, -1L)] // gh-151021 fix: CPython up to 3.14 returns 10
    [InlineData("", 5L, 3L, -1L)]
    [InlineData("", -1L, null, 9L)]
    [InlineData("a", 0L, null, 0L)] // [3.15/main] None accepted: find(b'a', 0, None)
    [InlineData("a", null, 5L, 0L)] // [3.15/main] None start means the cursor; end still applies (no quirk)
    [InlineData("d", null, 3L, -1L)]
    public void Find_StartAndEnd(string sub, long? start, long? end, long expected)
    {
        Assert.Equal(expected, _x.Find(B(sub), start, end));
    }

    [Theory]
    [InlineData("ab", null, null, 8L)]
    [InlineData("a", null, null, 8L)]
    [InlineData("ab", 0L, 9L, 4L)]
    [InlineData("ab", 0L, -1L, 4L)]
    [InlineData("ab", -6L, null, 8L)]
    [InlineData("ab", 100L, null, -1L)]
    [InlineData("a", 5L, 3L, -1L)]
    [InlineData("", null, null, 10L)]
    [InlineData("", 0L, 4L, 4L)]
    [InlineData("", 100L, null, -1L)] // gh-151021 fix: CPython up to 3.14 returns 10
    [InlineData("", 5L, 3L, -1L)]
    public void RFind_StartAndEnd(string sub, long? start, long? end, long expected)
    {
        Assert.Equal(expected, _x.RFind(B(sub), start, end));
    }

    [Fact]
    public void RFind_StartDefaultsToTheCursor()
    {
        _x.Seek(5);
        Assert.Equal(8, _x.RFind("a"u8));
        _x.Seek(9);
        Assert.Equal(-1, _x.RFind("ab"u8));
        _x.Seek(0, SeekOrigin.End);
        Assert.Equal(-1, _x.RFind("a"u8));
        Assert.Equal(10, _x.Tell());
    }

    [Fact]
    public void Find_EmbeddedNul()
    {
        using var m = MemoryMap.Anonymous(6);
        m[..] = "aa\0bb\0"u8.ToArray();
        Assert.Equal(2, m.Find("\0b"u8));
        Assert.Equal(5, m.RFind("\0"u8));
    }

    [Fact]
    public void TougherFind_EverySubstringOfDataWithNuls()
    {
        // SF bug 515943: embedded NUL bytes.
        byte[] data = B("aabaac\0deef\0\0aa\0");
        using var file = new TempFile(data);
        using var m = file.Map(data.Length);
        for (int start = 0; start <= data.Length; start++)
        {
            for (int finish = start; finish <= data.Length; finish++)
            {
                byte[] slice = data[start..finish];
                Assert.Equal(ReferenceFind(data, slice, 0, data.Length, false), m.Find(slice));
                byte[] withX = [.. slice, (byte)'x'];
                Assert.Equal(-1, m.Find(withX));
            }
        }
    }

    [Fact]
    public void FindEnd_OneTwoOnes()
    {
        using var file = new TempFile("one two ones"u8);
        using var m = file.Map();
        Assert.Equal(0, m.Find("one"u8));
        Assert.Equal(8, m.Find("ones"u8));
        Assert.Equal(0, m.Find("one"u8, 0, -1));
        Assert.Equal(8, m.Find("one"u8, 1));
        Assert.Equal(8, m.Find("one"u8, 1, -1));
        Assert.Equal(-1, m.Find("one"u8, 1, -2));

        Assert.Equal(8, m.RFind("one"u8));
        Assert.Equal(0, m.RFind("one "u8));
        Assert.Equal(8, m.RFind("one"u8, 0, -1));
        Assert.Equal(0, m.RFind("one"u8, 0, -2));
        Assert.Equal(8, m.RFind("one"u8, 1, -1));
        Assert.Equal(-1, m.RFind("one"u8, 1, -2));
    }

    public static IEnumerable<object[]> Needles() =>
    [
        [""], ["o"], ["one"], ["ones"], ["e"], [" "], ["s"], ["one two ones"], ["one two ones!"], ["x"],
    ];

    [Theory]
    [MemberData(nameof(Needles))]
    public void FindEnd_SweepEveryStartAndEndAgainstTheReference(string needle)
    {
        // As 3.14's test_find_end: every (start, end) in [-len-2, len+2], find and rfind.
        byte[] data = "one two ones"u8.ToArray();
        byte[] sub = B(needle);
        using var file = new TempFile(data);
        using var m = file.Map();
        int n = data.Length;
        for (int start = -n - 2; start <= n + 2; start++)
        {
            for (int end = -n - 2; end <= n + 2; end++)
            {
                Assert.True(
                    ReferenceFind(data, sub, start, end, false) == m.Find(sub, start, end),
                    $"find({needle}, {start}, {end})");
                Assert.True(
                    ReferenceFind(data, sub, start, end, true) == m.RFind(sub, start, end),
                    $"rfind({needle}, {start}, {end})");
            }

            // A null end means the end of the map; a null start means the cursor.
            Assert.Equal(ReferenceFind(data, sub, start, n, false), m.Find(sub, start, null));
            Assert.Equal(ReferenceFind(data, sub, start, n, true), m.RFind(sub, start, null));
        }

        for (int position = 0; position <= n; position++)
        {
            m.Seek(position);
            Assert.Equal(ReferenceFind(data, sub, position, n, false), m.Find(sub));
            Assert.Equal(ReferenceFind(data, sub, position, n, true), m.RFind(sub));
            Assert.Equal(ReferenceFind(data, sub, position, 5, false), m.Find(sub, null, 5));
            Assert.Equal(position, m.Tell());
        }
    }

    [Fact]
    public void Find_DoesNotReadBeyondTheMap()
    {
        // A map of exactly one page: a needle that would match only if the search ran past the
        // end must not be found (and must not fault).
        long p = MemoryMap.PageSize;
        using var m = MemoryMap.Anonymous(p);
        byte[] ones = new byte[p];
        ones.AsSpan().Fill(1);
        m[..] = ones;
        Assert.Equal(-1, m.Find([1, 1, 0]));
        Assert.Equal(-1, m.Find([1, 2]));
        Assert.Equal(p - 2, m.RFind([1, 1]));
        Assert.Equal(-1, m.Find(new byte[p + 1]));
        Assert.Equal(0, m.Find(ones));
    }

    [Fact]
    public void Find_AcceptsAnyByteSpan()
    {
        byte[] array = "cd"u8.ToArray();
        Assert.Equal(2, _x.Find(array));
        Assert.Equal(6, _x.Find(new ReadOnlyMemory<byte>(array).Span, 3));
    }
}
