using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>test_move, test_flush_return_value and the rows of §8 (flush) and §10 (move).</summary>
public class MoveAndFlushTests
{
    private static readonly long P = MemoryMap.PageSize;
    private static readonly byte[] Digits = "0123456789"u8.ToArray();

    private static MemoryMap DigitsMap()
    {
        var m = MemoryMap.Anonymous(Digits.Length);
        m[..] = Digits;
        return m;
    }

    [Fact]
    public void Move_DuplicatesTheFront_InAFileMap()
    {
        using var file = new TempFile("ABCDEabcde"u8);
        using (var m = file.Map(10))
        {
            m.Move(5, 0, 5);
            Assert.Equal("ABCDEABCDE"u8.ToArray(), m[..]);
        }

        Assert.Equal("ABCDEABCDE"u8.ToArray(), file.ReadAll());
    }

    [Theory]
    [InlineData(5L, 0L, 5L, "0123401234")]
    [InlineData(2L, 0L, 5L, "0101234789")]
    [InlineData(0L, 2L, 5L, "2345656789")]
    [InlineData(0L, 0L, 0L, "0123456789")]
    [InlineData(10L, 10L, 0L, "0123456789")]
    public void Move_TableRows(long destination, long source, long count, string expected)
    {
        using var m = DigitsMap();
        m.Seek(3);
        m.Move(destination, source, count);
        Assert.Equal(Encoding.ASCII.GetBytes(expected), m[..]);
        Assert.Equal(3, m.Tell()); // the position does not move
    }

    [Fact]
    public void Move_EveryInRangeTriple_IsMemmove()
    {
        string data = "0123456789";
        for (int dest = 0; dest < data.Length; dest++)
        {
            for (int src = 0; src < data.Length; src++)
            {
                for (int count = 0; count < data.Length - Math.Max(dest, src); count++)
                {
                    string expected = data[..dest] + data.Substring(src, count) + data[(dest + count)..];
                    using var m = DigitsMap();
                    m.Move(dest, src, count);
                    Assert.Equal(Encoding.ASCII.GetBytes(expected), m[..]);
                }
            }
        }
    }

    [Theory]
    [InlineData(11L, 0L, 0L)]
    [InlineData(0L, 11L, 0L)]
    [InlineData(0L, 5L, 6L)]
    [InlineData(5L, 0L, 6L)]
    [InlineData(-1L, 0L, 1L)]
    [InlineData(0L, -1L, 1L)]
    [InlineData(0L, 0L, -1L)]
    [InlineData(0L, 0L, long.MaxValue)]
    [InlineData(long.MaxValue, 0L, 1L)]
    [InlineData(1L, long.MaxValue, long.MaxValue)]
    public void Move_OutOfRange_MovesNothing(long destination, long source, long count)
    {
        using var m = DigitsMap();
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Move(destination, source, count));
        Assert.Equal(Digits, m[..]);
    }

    [Fact]
    public void Move_SegfaultSweep_Issue5387()
    {
        using var m = MemoryMap.Anonymous(100);
        long[] offsets = [-100, -1, 0, 1, 100];
        foreach (long source in offsets)
        {
            foreach (long dest in offsets)
            {
                foreach (long size in offsets)
                {
                    bool valid = source >= 0 && dest >= 0 && size >= 0 && source + size <= 100 && dest + size <= 100;
                    if (valid)
                    {
                        m.Move(dest, source, size);
                    }
                    else
                    {
                        Assert.Throws<ArgumentOutOfRangeException>(() => m.Move(dest, source, size));
                    }
                }
            }
        }

        using var one = MemoryMap.Anonymous(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Move(0, 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Move(1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Move(0, 1, 1));
        one.Move(0, 0, 1);
        one.Move(0, 0, 0);
    }

    [Fact]
    public void Move_ReadOnly_IsRefusedBeforeTheRangeCheck()
    {
        using var file = new TempFile(TempFile.Lines);
        using var r = file.Map(access: MapAccess.Read);
        Assert.Throws<NotSupportedException>(() => r.Move(0, 1, 1));
        Assert.Throws<NotSupportedException>(() => r.Move(0, 100, 1));
    }

    [Fact]
    public void Move_Copy_ChangesMemoryOnly()
    {
        using var file = new TempFile(TempFile.Lines);
        using var c = file.Map(access: MapAccess.Copy);
        c.Move(0, 4, 3);
        Assert.Equal("def\ndef\nghi"u8.ToArray(), c[..]);
        c.Flush();
        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    public static TheoryData<long, long> ValidFlushRanges() => new()
    {
        { 0, 2 * P },
        { P, P },
        { 0, 0 },
        { 2 * P, 0 },
        { 0, 10 }, // size need not be a page multiple
        { P, -1 }, // [3.15/main] -1 means to the end (gh-138092)
        { 0, -1 },
    };

    [Theory]
    [MemberData(nameof(ValidFlushRanges))]
    public void Flush_ValidRanges_WriteTheBytes(long offset, long size)
    {
        using var file = TempFile.Pages(2);
        using var m = file.Map();
        m[(int)P] = 42;
        m.Flush(offset, size);
        Assert.Equal(42, file.ReadAll()[P]); // shared: already on disk, and flush is harmless
    }

    [Fact]
    public void Flush_OffsetOnly_FlushesToTheEnd()
    {
        // [3.15/main] gh-138092: CPython up to 3.14 raises "flush values out of range".
        using var file = TempFile.Pages(2);
        using var m = file.Map();
        m.Flush(P);
        m.Flush();
        m.ScheduleFlush();
        m.ScheduleFlush(P);
    }

    public static TheoryData<long, long> OutOfRangeFlushRanges() => new()
    {
        { 0, 2 * P + 1 },
        { P, P + 1 },
        { 3 * P, 0 },
        { -P, P },
        { 0, -2 },
        { long.MaxValue, 1 },
        { P, long.MaxValue },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeFlushRanges))]
    public void Flush_OutOfRange(long offset, long size)
    {
        using var file = TempFile.Pages(2);
        using var m = file.Map();
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Flush(offset, size));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.ScheduleFlush(offset, size));
    }

    [Fact]
    public void Flush_UnalignedOffset_IsArgumentExceptionForEveryKind()
    {
        using var file = TempFile.Pages(2);
        var maps = new List<MemoryMap>
        {
            file.Map(),
            file.Map(access: MapAccess.Write),
            // Deliberate difference: Python skips msync for READ/COPY maps and so accepts flush(1, 10);
            // Overlay refuses it for every kind.
            file.Map(access: MapAccess.Read),
            file.Map(access: MapAccess.Copy),
            MemoryMap.Anonymous(2 * P),
            MemoryMap.Anonymous(2 * P, flags: MapFlags.Private),
        };
        try
        {
            foreach (MemoryMap m in maps)
            {
                Assert.Throws<ArgumentException>(() => m.Flush(1, 10));
            }
        }
        finally
        {
            maps.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public void Flush_ReadMap_ChecksTheRange()
    {
        using var file = TempFile.Pages(2);
        using var r = file.Map(access: MapAccess.Read);
        r.Flush();
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Flush(0, 3 * P));
    }

    [Fact]
    public void Flush_CopyAndPrivateMaps_LeaveTheDiskAlone()
    {
        using var file = new TempFile(TempFile.Lines);
        using (var c = file.Map(access: MapAccess.Copy))
        {
            c.Write("ZZ"u8);
            c.Flush();
        }

        using (var p = file.Map(flags: MapFlags.Private))
        {
            p.Write("YY"u8);
            p.Flush();
        }

        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    [Fact]
    public void Flush_WriteThroughAnotherMap_IsVisible()
    {
        using var file = TempFile.Pages(2);
        using var writer = file.Map();
        using var reader = file.Map(access: MapAccess.Read);
        writer.SetSlice(P, P + 4, null, "data"u8);
        writer.Flush(P, P);
        Assert.Equal("data"u8.ToArray(), reader.GetSlice(P, P + 4));
        Assert.Equal("data"u8.ToArray(), file.ReadAll().Skip((int)P).Take(4).ToArray());
    }
}
