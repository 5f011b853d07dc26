using System;
using System.IO;
using System.Runtime.InteropServices;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Tests.Durability;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>Every primitive that qualifies, each at its natural alignment with no padding: 48 bytes.</summary>
[MappedLayout]
public partial struct InMemoryRecord
{
    public long I64;
    public ulong U64;
    public double F64;
    public int I32;
    public uint U32;
    public float F32;
    public short I16;
    public ushort U16;
    public char Letter;
    public Half F16;
    public byte U8;
    public sbyte I8;
    public short Last;
}

/// <summary>A bool: its in-memory byte may be any non-zero value, Store writes 1.</summary>
[MappedLayout]
public partial struct InMemoryWithBool
{
    public int A;
    public bool B;
    public byte C;
    public short D;
}

/// <summary>Declared longer than its fields: trailing padding.</summary>
[MappedLayout(Size = 16)]
public partial struct InMemoryWithTrailingPadding
{
    public long A;
    public int B;
}

/// <summary>A gap before an explicit offset, where the struct's memory has the same gap.</summary>
[MappedLayout]
public partial struct InMemoryWithGap
{
    public int A;
    [Offset(8)]
    public long B;
}

/// <summary>Packed as the layout packs (the double at 2), not as memory does (at 8).</summary>
[MappedLayout]
public partial struct InMemoryPacked
{
    public ushort A;
    public double B;
}

/// <summary>A big-endian field.</summary>
[MappedLayout]
public partial struct InMemoryBigEndian
{
    public int A;
    [BigEndian]
    public int B;
}

/// <summary>A layout attribute: the runtime's field order is not the declaration's to assume.</summary>
[MappedLayout]
[StructLayout(LayoutKind.Auto)]
public partial struct InMemoryAutoLayout
{
    public long A;
    public int B;
    public int C;
}

/// <summary>An auto-property: a backing field the layout does not map.</summary>
[MappedLayout]
public partial struct InMemoryWithProperty
{
    public long A;

    public int NotMapped { get; set; }
}

/// <summary>A captured primary-constructor parameter: a field of the struct the layout does not map.</summary>
/// <param name="seed">Captured.</param>
[MappedLayout]
public partial struct InMemoryWithCapture(int seed)
{
    public int A;

    /// <summary>Reads the captured parameter, so that it is a field.</summary>
    public readonly int Seed => seed;
}

/// <summary>A nested layout and an enum: not primitives.</summary>
[MappedLayout]
public partial struct InMemoryNested
{
    public InMemoryWithTrailingPadding Inner;
    public TestColour Colour;
}

/// <summary>An enum of the nested layout's test.</summary>
public enum TestColour : long
{
    /// <summary>Red.</summary>
    Red,
}

/// <summary>
/// Issue 8: a layout whose bytes are the struct's own (<see cref="IMappedLayout{TSelf}.HasInMemoryLayout"/>)
/// is written by <c>AppendRange</c> straight from the caller's span, without a <c>Store</c> per
/// record: which layouts qualify, that their bytes are <c>Store</c>'s, and that the file, its count
/// and its seal are what the per-record path writes.
/// </summary>
public class InMemoryLayoutTests
{
    private const ulong Magic = RecordFileTests.Magic;
    private static readonly long RecordsOffset = RecordFileOffsets.RecordsOffset<TestHeader, InMemoryRecord>();
    private static readonly long PaddedRecordsOffset = RecordFileOffsets.RecordsOffset<TestHeader, InMemoryWithTrailingPadding>();

    private static bool Qualifies<T>()
        where T : struct, IMappedLayout<T> => T.HasInMemoryLayout;

    [Fact]
    public void OnlyLayoutsOfAlignedLittleEndianPrimitivesWithoutPaddingQualify()
    {
        Assert.True(Qualifies<InMemoryRecord>());
        Assert.False(Qualifies<InMemoryWithBool>());
        Assert.False(Qualifies<InMemoryWithTrailingPadding>());
        Assert.False(Qualifies<InMemoryWithGap>());
        Assert.False(Qualifies<InMemoryPacked>());
        Assert.False(Qualifies<InMemoryBigEndian>());
        Assert.False(Qualifies<InMemoryAutoLayout>());
        Assert.False(Qualifies<InMemoryWithProperty>());
        Assert.False(Qualifies<InMemoryNested>());
        Assert.False(Qualifies<TestRecord>());
        Assert.Equal(48, InMemoryRecord.SizeInBytes);
    }

    private static InMemoryRecord RandomRecord(Random random)
    {
        Span<byte> bytes = stackalloc byte[48];
        random.NextBytes(bytes);

        // Any bit pattern, NaN payloads and subnormals included: Store must copy bits, not values.
        return MemoryMarshal.Read<InMemoryRecord>(bytes);
    }

    [Fact]
    public void StoreWritesExactlyTheValuesBytesInMemory()
    {
        var random = new Random(8);
        Span<byte> stored = stackalloc byte[48];
        for (int i = 0; i < 20_000; i++)
        {
            InMemoryRecord value = RandomRecord(random);
            stored.Fill(0xA5);
            InMemoryRecord.Store(stored, value);
            Assert.True(stored.SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<InMemoryRecord>(in value))), $"value {i}");
        }
    }

    // 1,366 records (64 KiB) and more go through the file, fewer are copied into the map in one go;
    // 64 KiB growth steps put growth inside the range.
    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, 100)]
    [InlineData(1360, 1365)]
    [InlineData(0, 1366)]
    [InlineData(3, 5000)]
    [InlineData(1, 30_000)]
    public void AppendRangeWritesTheBytesAppendOneByOneWrites(int before, int range)
    {
        var random = new Random(before + range);
        var values = new InMemoryRecord[before + range];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = RandomRecord(random);
        }

        using var byRange = new TempPath();
        using var byRecord = new TempPath();
        using (var file = RecordFile<TestHeader.View, InMemoryRecord.View>.Create(byRange.Path, Magic))
        {
            file.MinimumGrowthBytes = 64 << 10;
            for (int i = 0; i < before; i++)
            {
                file.Append(values[i]);
            }

            file.AppendRange<InMemoryRecord>(values.AsSpan(before));
            Assert.Equal(values.Length, file.Count);
            Assert.Equal(values[^1].I64, file[values.Length - 1].I64);
        }

        using (var file = RecordFile<TestHeader.View, InMemoryRecord.View>.Create(byRecord.Path, Magic))
        {
            foreach (InMemoryRecord value in values)
            {
                file.Append(value);
            }
        }

        byte[] expected = File.ReadAllBytes(byRecord.Path);
        byte[] actual = File.ReadAllBytes(byRange.Path);
        Assert.Equal(RecordsOffset + (values.Length * 48L), actual.Length);

        // The records and the seal (count and hash) alike; the boot id and the creation time differ.
        Assert.True(expected.AsSpan((int)RecordsOffset).SequenceEqual(actual.AsSpan((int)RecordsOffset)));
        Assert.True(expected.AsSpan(RecordFileFormat.SealCountOffset, 16).SequenceEqual(actual.AsSpan(RecordFileFormat.SealCountOffset, 16)));
    }

    [Fact]
    public void RecordsWrittenFromTheSpanAndNotFlushedAreSealedForTheNextBoot()
    {
        var random = new Random(11);
        var values = new InMemoryRecord[9000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = RandomRecord(random);
        }

        using var temp = new TempPath();
        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        {
            using var file = RecordFile<TestHeader.View, InMemoryRecord.View>.Create(temp.Path, Magic);
            file.AppendRange<InMemoryRecord>(values.AsSpan(0, 3000));
            file.Flush();
            file.AppendRange<InMemoryRecord>(values.AsSpan(3000));
        }

        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        {
            using var reopened = RecordFile<TestHeader.View, InMemoryRecord.View>.Open(temp.Path, Magic);
            Assert.Equal(9000, reopened.Count);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.Equal(values[i], InMemoryRecord.Load(reopened.Map, RecordsOffset + (i * 48L)));
            }
        }

        // A record changed on the disk after the seal: the next boot trusts only the flushed count.
        using (var stream = new FileStream(temp.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = RecordsOffset + (7000 * 48) + 5;
            int old = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)~old);
        }

        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        {
            using var reopened = RecordFile<TestHeader.View, InMemoryRecord.View>.Open(temp.Path, Magic);
            Assert.Equal(3000, reopened.Count);
        }
    }

    [Fact]
    public void AStructLongerThanItsRecordIsStoredRecordByRecord()
    {
        Assert.False(Qualifies<InMemoryWithCapture>());
        Assert.Equal(4, InMemoryWithCapture.SizeInBytes);
        var values = new InMemoryWithCapture[20_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = new InMemoryWithCapture(-i) { A = i };
        }

        using var temp = new TempPath();
        using (var file = RecordFile<TestHeader.View, InMemoryWithCapture.View>.Create(temp.Path, Magic))
        {
            file.AppendRange<InMemoryWithCapture>(values);
        }

        long offset = RecordFileOffsets.RecordsOffset<TestHeader, InMemoryWithCapture>();
        byte[] bytes = File.ReadAllBytes(temp.Path);
        Assert.Equal(offset + (values.Length * 4L), bytes.Length);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(i, BitConverter.ToInt32(bytes, (int)(offset + (i * 4L))));
        }
    }

    [Fact]
    public void PaddingOfRecordsStoredThroughTheFileIsZeroWhateverThePooledBufferHeld()
    {
        // The buffer AppendRange rents for its chunks (256 KiB) comes back from the pool as it was left.
        byte[] dirty = System.Buffers.ArrayPool<byte>.Shared.Rent(256 << 10);
        dirty.AsSpan().Fill(0xEE);
        System.Buffers.ArrayPool<byte>.Shared.Return(dirty);

        var values = new InMemoryWithTrailingPadding[10_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = new InMemoryWithTrailingPadding { A = i, B = -i };
        }

        using var temp = new TempPath();
        using (var file = RecordFile<TestHeader.View, InMemoryWithTrailingPadding.View>.Create(temp.Path, Magic))
        {
            file.AppendRange<InMemoryWithTrailingPadding>(values);
        }

        byte[] bytes = File.ReadAllBytes(temp.Path);
        for (int i = 0; i < values.Length; i++)
        {
            long at = PaddedRecordsOffset + (i * 16L);
            Assert.Equal(i, BitConverter.ToInt64(bytes, (int)at));
            Assert.Equal(-i, BitConverter.ToInt32(bytes, (int)at + 8));
            Assert.Equal(0, BitConverter.ToInt32(bytes, (int)at + 12));
        }
    }
}
