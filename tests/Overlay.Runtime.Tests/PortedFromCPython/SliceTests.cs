using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>test_extended_getslice, test_extended_set_del_slice and the rows of §13 on <c>X</c> = "abcdabcdab".</summary>
public sealed class SliceTests : IDisposable
{
    private readonly MemoryMap _x;

    public SliceTests()
    {
        _x = MemoryMap.Anonymous(TempFile.Abcd.Length);
        _x[..] = TempFile.Abcd;
    }

    public void Dispose() => _x.Dispose();

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>
    /// The indices a Python slice <c>[start:stop:step]</c> selects from a sequence of
    /// <paramref name="length"/> items, from the language reference: a negative bound counts from
    /// the end, then bounds are clipped to the range the step can walk; walk from start towards stop.
    /// </summary>
    private static List<long> ReferenceIndices(long? start, long? stop, long? step, long length)
    {
        long k = step ?? 1;
        var indices = new List<long>();
        if (k > 0)
        {
            long lo = Clip(start, 0, 0, length);
            long hi = Clip(stop, length, 0, length);
            for (long i = lo; i < hi; i += k)
            {
                indices.Add(i);
            }
        }
        else
        {
            // Walking down: the first index is at most length - 1, the stop at least "before 0" (-1).
            long first = Clip(start, length - 1, -1, length - 1);
            long last = Clip(stop, -1, -1, length - 1);
            for (long i = first; i > last; i += k)
            {
                indices.Add(i);
            }
        }

        return indices;

        long Clip(long? bound, long whenNull, long floor, long ceiling)
        {
            if (bound is null)
            {
                return whenNull;
            }

            long value = bound.Value < 0 ? bound.Value + length : bound.Value;
            return value < floor ? floor : value > ceiling ? ceiling : value;
        }
    }

    private static byte[] ReferenceGet(byte[] data, long? start, long? stop, long? step) =>
        ReferenceIndices(start, stop, step, data.Length).Select(i => data[i]).ToArray();

    [Theory]
    [InlineData(1L, 3L, null, "bc")]
    [InlineData(null, null, null, "abcdabcdab")]
    [InlineData(-3L, null, null, "dab")]
    [InlineData(5L, 100L, null, "bcdab")]
    [InlineData(100L, 200L, null, "")]
    [InlineData(3L, 1L, null, "")]
    [InlineData(-100L, 2L, null, "ab")]
    [InlineData(null, null, 2L, "acaca")]
    [InlineData(1L, 8L, 3L, "bad")]
    [InlineData(null, null, -1L, "badcbadcba")]
    [InlineData(8L, 2L, -2L, "aca")]
    [InlineData(2L, 8L, -1L, "")]
    [InlineData(-1L, -4L, -1L, "bad")]
    [InlineData(100L, null, -3L, "bcda")]
    [InlineData(long.MaxValue, null, null, "")] // m[2**70:] clamps to the end
    [InlineData(null, null, long.MinValue, "b")] // the step is clamped to -sys.maxsize
    [InlineData(long.MinValue, long.MaxValue, long.MaxValue, "a")]
    public void GetSlice_TableRows(long? start, long? stop, long? step, string expected)
    {
        _x.Seek(3);
        Assert.Equal(B(expected), _x.GetSlice(start, stop, step));
        Assert.Equal(B(expected), ReferenceGet(TempFile.Abcd, start, stop, step));
        Assert.Equal(3, _x.Tell()); // slicing does not move the cursor
    }

    [Fact]
    public void RangeIndexer_TableRows()
    {
        Assert.Equal("bc"u8.ToArray(), _x[1..3]);
        Assert.Equal(TempFile.Abcd, _x[..]);
        Assert.Equal("dab"u8.ToArray(), _x[^3..]);
        Assert.Equal("bcdab"u8.ToArray(), _x[5..100]);
        Assert.Empty(_x[100..200]);
        Assert.Empty(_x[3..1]);
        Assert.Equal("ab"u8.ToArray(), _x[^100..2]);
    }

    [Fact]
    public void StepZero_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => _x.GetSlice(null, null, 0));
        Assert.Throws<ArgumentException>(() => _x.SetSlice(null, null, 0, ReadOnlySpan<byte>.Empty));
        Assert.Equal(TempFile.Abcd, _x[..]);
    }

    [Theory]
    [InlineData(5L, 100L, null, "VWXYZ", "abcdaVWXYZ")]
    [InlineData(3L, 1L, null, "", "abcdabcdab")]
    [InlineData(0L, 0L, null, "", "abcdabcdab")]
    [InlineData(0L, 3L, null, "XYZ", "XYZdabcdab")]
    [InlineData(null, null, 2L, "VWXYZ", "VbWdXbYdZb")]
    [InlineData(null, null, -1L, "0123456789", "9876543210")]
    [InlineData(8L, 2L, -2L, "XYZ", "abcdZbYdXb")]
    public void SetSlice_TableRows(long? start, long? stop, long? step, string value, string expected)
    {
        _x.Seek(4);
        _x.SetSlice(start, stop, step, B(value));
        Assert.Equal(B(expected), _x[..]);
        Assert.Equal(4, _x.Tell());
    }

    [Theory]
    [InlineData(0L, 3L, null, "XY")]
    [InlineData(0L, 3L, null, "WXYZ")]
    [InlineData(null, null, 2L, "XY")]
    [InlineData(8L, 2L, -2L, "XYZW")]
    public void SetSlice_WrongSize_WritesNothing(long? start, long? stop, long? step, string value)
    {
        Assert.Throws<ArgumentException>(() => _x.SetSlice(start, stop, step, B(value)));
        Assert.Equal(TempFile.Abcd, _x[..]);
    }

    [Fact]
    public void RangeSetter_ClampedLengthMustMatch()
    {
        _x[0..3] = "XYZ"u8.ToArray();
        Assert.Equal("XYZdabcdab"u8.ToArray(), _x[..]);
        Assert.Throws<ArgumentException>(() => _x[0..3] = "XY"u8.ToArray());
        Assert.Throws<ArgumentException>(() => _x[0..3] = "WXYZ"u8.ToArray());
        byte[] xs = new byte[95];
        xs.AsSpan().Fill((byte)'x');
        Assert.Throws<ArgumentException>(() => _x[5..100] = xs); // the clamped slice is 5 long
        Assert.Equal("XYZdabcdab"u8.ToArray(), _x[..]);
        _x[5..100] = "VWXYZ"u8.ToArray();
        Assert.Equal("XYZdaVWXYZ"u8.ToArray(), _x[..]);
        _x[3..1] = [];
        Assert.Equal("XYZdaVWXYZ"u8.ToArray(), _x[..]);
        Assert.Throws<ArgumentNullException>(() => _x[0..1] = null!);
    }

    /// <summary>CPython's index set (0, None, 1, 3, 19, 300, -1, -2, -31, -300) over a 256-byte map.</summary>
    private static readonly long?[] CPythonIndices = [0, null, 1, 3, 19, 300, -1, -2, -31, -300];

    [Fact]
    public void ExtendedGetSlice_CPythonIndices()
    {
        byte[] s = Enumerable.Range(0, 256).Reverse().Select(c => (byte)c).ToArray();
        using var m = MemoryMap.Anonymous(s.Length);
        m[..] = s;
        Assert.Equal(s, m[..]);
        foreach (long? start in CPythonIndices)
        {
            foreach (long? stop in CPythonIndices)
            {
                foreach (long? step in CPythonIndices[1..])
                {
                    Assert.Equal(ReferenceGet(s, start, stop, step), m.GetSlice(start, stop, step));
                }
            }
        }
    }

    [Fact]
    public void ExtendedSetSlice_CPythonIndices()
    {
        byte[] s = Enumerable.Range(0, 256).Reverse().Select(c => (byte)c).ToArray();
        using var m = MemoryMap.Anonymous(s.Length);
        foreach (long? start in CPythonIndices)
        {
            foreach (long? stop in CPythonIndices)
            {
                foreach (long? step in CPythonIndices[1..])
                {
                    m[..] = s;
                    byte[] expected = (byte[])s.Clone();
                    List<long> indices = ReferenceIndices(start, stop, step, s.Length);
                    // Exactly the right length, with different data: the selected bytes reversed.
                    byte[] data = indices.Select(i => s[i]).Reverse().ToArray();
                    for (int k = 0; k < indices.Count; k++)
                    {
                        expected[indices[k]] = data[k];
                    }

                    m.SetSlice(start, stop, step, data);
                    Assert.Equal(expected, m[..]);
                }
            }
        }
    }

    public static IEnumerable<object?[]> Steps()
    {
        foreach (long? step in new long?[] { null, 1, 2, 3, 4, 7, 12, -1, -2, -3, -5, -12 })
        {
            yield return [step];
        }
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Sweep_GetAndSetSlice_AgainstTheReference(long? step)
    {
        // Every start and stop in [-len-3, len+3] and null, on a 10-byte map.
        byte[] data = TempFile.Abcd;
        int n = data.Length;
        var bounds = new List<long?> { null };
        for (long b = -n - 3; b <= n + 3; b++)
        {
            bounds.Add(b);
        }

        foreach (long? start in bounds)
        {
            foreach (long? stop in bounds)
            {
                List<long> indices = ReferenceIndices(start, stop, step, n);
                byte[] expectedGet = indices.Select(i => data[i]).ToArray();
                _x[..] = data;
                Assert.True(expectedGet.AsSpan().SequenceEqual(_x.GetSlice(start, stop, step)), $"[{start}:{stop}:{step}]");

                byte[] value = indices.Select((_, k) => (byte)('0' + k)).ToArray();
                byte[] expectedAfterSet = (byte[])data.Clone();
                for (int k = 0; k < indices.Count; k++)
                {
                    expectedAfterSet[indices[k]] = value[k];
                }

                _x.SetSlice(start, stop, step, value);
                Assert.True(expectedAfterSet.AsSpan().SequenceEqual(_x[..]), $"[{start}:{stop}:{step}] = ...");

                // One byte too many is refused and writes nothing.
                byte[] tooLong = [.. value, (byte)'!'];
                Assert.Throws<ArgumentException>(() => _x.SetSlice(start, stop, step, tooLong));
                Assert.True(expectedAfterSet.AsSpan().SequenceEqual(_x[..]));
            }
        }
    }
}
