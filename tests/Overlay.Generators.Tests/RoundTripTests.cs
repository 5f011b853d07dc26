using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Overlay.Generators.Tests.Layouts;
using Overlay.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>Layouts generated in this project, run against real mapped files.</summary>
public class RoundTripTests
{
    private static readonly Guid s_guid = new("00112233-4455-6677-8899-aabbccddeeff");

    [Fact]
    public void EveryLittleEndianFieldRoundTripsThroughTheView()
    {
        using var file = new TempFile(Scalars.SizeInBytes + 8);
        using (var map = MemoryMap.Open(file.Path))
        {
            var view = new Scalars.View(map, 8);
            view.Flag = true;
            view.U8 = 0xAB;
            view.I8 = -2;
            view.I16 = -1234;
            view.U16 = 0xBEEF;
            view.Letter = 'Ж';
            view.F16 = (Half)1.5f;
            view.I32 = -123456789;
            view.U32 = 0xDEADBEEF;
            view.F32 = 3.25f;
            view.I64 = -1234567890123;
            view.U64 = 0x0102030405060708;
            view.F64 = -2.5;
            view.Id = s_guid;
            view.Color = Color.Blue;
            view.Wide = Wide.High;

            Scalars loaded = view.Load();
            Assert.Equal((true, (byte)0xAB, (sbyte)-2, (short)-1234, (ushort)0xBEEF, 'Ж'), (loaded.Flag, loaded.U8, loaded.I8, loaded.I16, loaded.U16, loaded.Letter));
            Assert.Equal(((Half)1.5f, -123456789, 0xDEADBEEF, 3.25f, -1234567890123L, 0x0102030405060708UL, -2.5), (loaded.F16, loaded.I32, loaded.U32, loaded.F32, loaded.I64, loaded.U64, loaded.F64));
            Assert.Equal((s_guid, Color.Blue, Wide.High), (loaded.Id, loaded.Color, loaded.Wide));
        }

        ReadOnlySpan<byte> b = file.Bytes.AsSpan(8);
        Assert.Equal(1, b[Scalars.Offsets.Flag]);
        Assert.Equal(0xAB, b[Scalars.Offsets.U8]);
        Assert.Equal(-2, (sbyte)b[Scalars.Offsets.I8]);
        Assert.Equal(-1234, BinaryPrimitives.ReadInt16LittleEndian(b[Scalars.Offsets.I16..]));
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16LittleEndian(b[Scalars.Offsets.U16..]));
        Assert.Equal('Ж', (char)BinaryPrimitives.ReadUInt16LittleEndian(b[Scalars.Offsets.Letter..]));
        Assert.Equal((Half)1.5f, BinaryPrimitives.ReadHalfLittleEndian(b[Scalars.Offsets.F16..]));
        Assert.Equal(-123456789, BinaryPrimitives.ReadInt32LittleEndian(b[Scalars.Offsets.I32..]));
        Assert.Equal(0xDEADBEEF, BinaryPrimitives.ReadUInt32LittleEndian(b[Scalars.Offsets.U32..]));
        Assert.Equal(3.25f, BinaryPrimitives.ReadSingleLittleEndian(b[Scalars.Offsets.F32..]));
        Assert.Equal(-1234567890123, BinaryPrimitives.ReadInt64LittleEndian(b[Scalars.Offsets.I64..]));
        Assert.Equal(0x0102030405060708UL, BinaryPrimitives.ReadUInt64LittleEndian(b[Scalars.Offsets.U64..]));
        Assert.Equal(-2.5, BinaryPrimitives.ReadDoubleLittleEndian(b[Scalars.Offsets.F64..]));
        Assert.Equal(s_guid, new Guid(b.Slice(Scalars.Offsets.Id, 16)));
        Assert.Equal((byte)Color.Blue, b[Scalars.Offsets.Color]);
        Assert.Equal((long)Wide.High, BinaryPrimitives.ReadInt64LittleEndian(b[Scalars.Offsets.Wide..]));
        Assert.Equal(1 + 1 + 1 + 2 + 2 + 2 + 2 + 4 + 4 + 4 + 8 + 8 + 8 + 16 + 1 + 8, Scalars.SizeInBytes);
    }

    [Fact]
    public void EveryBigEndianFieldRoundTripsThroughStoreAndLoad()
    {
        var value = new BigScalars
        {
            I16 = -1234, U16 = 0xBEEF, Letter = 'Ж', F16 = (Half)(-0.75f), I32 = -123456789, U32 = 0xDEADBEEF, F32 = 3.25f,
            I64 = -1234567890123, U64 = 0x0102030405060708, F64 = -2.5, Id = s_guid, Wide = Wide.Low, Little = 0x11223344,
        };
        using var file = new TempFile(BigScalars.SizeInBytes);
        using (var map = MemoryMap.Open(file.Path))
        {
            BigScalars.Store(map, 0, value);
            Assert.Equal(value, BigScalars.Load(map, 0));
            Assert.Equal(value.I32, new BigScalars.ReadOnlyView(map, 0).I32);
        }

        ReadOnlySpan<byte> b = file.Bytes;
        Assert.Equal(-1234, BinaryPrimitives.ReadInt16BigEndian(b[BigScalars.Offsets.I16..]));
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(b[BigScalars.Offsets.U16..]));
        Assert.Equal('Ж', (char)BinaryPrimitives.ReadUInt16BigEndian(b[BigScalars.Offsets.Letter..]));
        Assert.Equal((Half)(-0.75f), BinaryPrimitives.ReadHalfBigEndian(b[BigScalars.Offsets.F16..]));
        Assert.Equal(-123456789, BinaryPrimitives.ReadInt32BigEndian(b[BigScalars.Offsets.I32..]));
        Assert.Equal(0xDEADBEEF, BinaryPrimitives.ReadUInt32BigEndian(b[BigScalars.Offsets.U32..]));
        Assert.Equal(3.25f, BinaryPrimitives.ReadSingleBigEndian(b[BigScalars.Offsets.F32..]));
        Assert.Equal(-1234567890123, BinaryPrimitives.ReadInt64BigEndian(b[BigScalars.Offsets.I64..]));
        Assert.Equal(0x0102030405060708UL, BinaryPrimitives.ReadUInt64BigEndian(b[BigScalars.Offsets.U64..]));
        Assert.Equal(-2.5, BinaryPrimitives.ReadDoubleBigEndian(b[BigScalars.Offsets.F64..]));
        Assert.Equal(s_guid, new Guid(b.Slice(BigScalars.Offsets.Id, 16), bigEndian: true));
        Assert.Equal("00112233445566778899AABBCCDDEEFF", Convert.ToHexString(b.Slice(BigScalars.Offsets.Id, 16)));
        Assert.Equal((long)Wide.Low, BinaryPrimitives.ReadInt64BigEndian(b[BigScalars.Offsets.Wide..]));
        Assert.Equal(0x11223344, BinaryPrimitives.ReadInt32LittleEndian(b[BigScalars.Offsets.Little..]));
    }

    [Fact]
    public void StringsNestedLayoutsAndArraysRoundTrip()
    {
        using var file = new TempFile(Entry.SizeInBytes * 2);
        using var map = MemoryMap.Open(file.Path);
        var view = new Entry.View(map, Entry.SizeInBytes);
        view.Id = 7;
        view.Name = "héllo";
        view.Code = "AB12";
        // Views are structs returned by value: C# wants a local before a setter (CS1612).
        Point.View origin = view.Origin;
        origin.X = -3;
        origin.Y = 4;
        Point.View last = view.Path[2];
        last.Y = 99;
        MappedValueArray<ushort> slots = view.Slots;
        slots[1] = 0x1234;

        byte[] bytes = file.Bytes;
        ReadOnlySpan<byte> b = bytes.AsSpan(Entry.SizeInBytes);
        Assert.Equal("héllo"u8.ToArray(), b.Slice(Entry.Offsets.Name, 6).ToArray());
        Assert.All(b.Slice(Entry.Offsets.Name + 6, 6).ToArray(), x => Assert.Equal(0, x));
        Assert.Equal("AB12"u8.ToArray(), b.Slice(Entry.Offsets.Code, 4).ToArray());
        Assert.Equal(-3, BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Origin + Point.Offsets.X)..]));
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Origin + Point.Offsets.Y)..]));
        Assert.Equal(99, BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Path + (2 * Point.SizeInBytes) + Point.Offsets.Y)..]));
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(b[(Entry.Offsets.Slots + 2)..]));

        Entry loaded = view.Load();
        Assert.Equal(("héllo", "AB12", -3, 4), (loaded.Name, loaded.Code, loaded.Origin.X, loaded.Origin.Y));
        Assert.Equal(new[] { new Point(), new Point(), new Point { Y = 99 } }, loaded.Path);
        Assert.Equal(new ushort[] { 0, 0x1234, 0 }, loaded.Slots);

        loaded.Name = "other";
        loaded.Path[0].X = 5;
        new Entry.View(map, 0).Store(loaded);
        Assert.Equal(bytes.AsSpan(Entry.SizeInBytes, Entry.Offsets.Name).ToArray(), file.Bytes.AsSpan(0, Entry.Offsets.Name).ToArray());
        Assert.Equal(5, Entry.Load(map, 0).Path[0].X);
    }

    [Fact]
    public void ArraysAreIndexableBoundsCheckedAndEnumerable()
    {
        using var file = new TempFile(Entry.SizeInBytes);
        using var map = MemoryMap.Open(file.Path);
        var view = new Entry.View(map, 0);
        Assert.Equal(3, view.Path.Count);
        Assert.Equal(3, view.Slots.Length);
        MappedValueArray<ushort> slotArray = view.Slots;
        for (int i = 0; i < 3; i++)
        {
            Point.View point = view.Path[i];
            point.X = i + 10;
            slotArray[i] = (ushort)(i + 20);
        }

        var xs = new List<int>();
        foreach (Point.View point in view.Path)
        {
            xs.Add(point.X);
        }

        var slots = new List<ushort>();
        foreach (ushort slot in view.AsReadOnly().Slots)
        {
            slots.Add(slot);
        }

        Assert.Equal([10, 11, 12], xs);
        Assert.Equal([(ushort)20, (ushort)21, (ushort)22], slots);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.Path[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.Path[-1]);
        Assert.Throws<IndexOutOfRangeException>(() => view.Slots[3]);
        Assert.Throws<IndexOutOfRangeException>(() => slotArray[-1] = 1);
    }

    [Fact]
    public void TooLongStringThrowsAndWritesNothing()
    {
        using var file = new TempFile(Entry.SizeInBytes);
        using var map = MemoryMap.Open(file.Path);
        var view = new Entry.View(map, 0);
        view.Name = "keep";
        Assert.Throws<ArgumentException>(() => view.Name = "thirteen char");
        Assert.Throws<ArgumentException>(() => view.Code = "é");
        Assert.Equal("keep", view.Name);
        byte[] expected = new byte[Entry.SizeInBytes];
        "keep"u8.CopyTo(expected.AsSpan(Entry.Offsets.Name));
        Assert.Equal(expected, file.Bytes);
    }

    [Fact]
    public void StoreValidatesEverythingBeforeWriting()
    {
        using var file = new TempFile(Entry.SizeInBytes);
        using var map = MemoryMap.Open(file.Path);
        var good = new Entry { Id = 1, Name = "a", Code = "b", Path = new Point[3], Slots = new ushort[3] };

        // Each bad value fails on a field after Id, yet Id (offset 0) stays unwritten.
        var badValues = new[]
        {
            good with { Name = "much too long!" },
            good with { Code = "ünïcode" },
            good with { Path = new Point[2] },
            good with { Slots = null! },
        };
        foreach (Entry bad in badValues)
        {
            Assert.Throws<ArgumentException>(() => Entry.Store(map, 0, bad));
            Assert.Equal(new byte[Entry.SizeInBytes], file.Bytes);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Entry.Store(map, 1, good));
        Assert.Equal(new byte[Entry.SizeInBytes], file.Bytes);
        Entry.Store(map, 0, good);
        Assert.Equal(1u, Entry.Load(map, 0).Id);
    }

    [Fact]
    public void ReadOnlyMapRefusesWritesAndWritableArrays()
    {
        using var file = new TempFile(Entry.SizeInBytes);
        using var map = MemoryMap.Open(file.Path, MapAccess.Read);
        var view = new Entry.View(map, 0);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => view.Id = 1);
        Assert.Throws<NotSupportedException>(() => view.Name = "x");
#pragma warning restore OVL001
        MappedValueArray<ushort> slots = view.Slots;
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => slots[0] = 1);
#pragma warning restore OVL001
        Assert.Throws<NotSupportedException>(() => Entry.Store(map, 0, new Entry { Name = "", Code = "", Path = new Point[3], Slots = new ushort[3] }));
        Assert.Throws<NotSupportedException>(() => new MappedArray<Entry.View>(map, 0, 1));
        Assert.Equal(0u, new MappedArray<Entry.ReadOnlyView>(map, 0, 1)[0].Id);
        Assert.Equal(new byte[Entry.SizeInBytes], file.Bytes);
    }

    [Fact]
    public void ViewsThrowAfterShrinkAndClose()
    {
        using var file = new TempFile(Entry.SizeInBytes * 2);
        var map = MemoryMap.Open(file.Path);
        var view = new Entry.View(map, Entry.SizeInBytes);
        Point.View origin = view.Origin;
        view.Id = 5;
        map.Resize(Entry.SizeInBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => origin.X = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.Load());
        // A view past the end can be made (the constructor checks only the sign: every access
        // checks the live mapping) but not used.
        var pastTheEnd = new Entry.View(map, Entry.SizeInBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => pastTheEnd.Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => pastTheEnd.Id = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => pastTheEnd.Origin.X);
        Assert.Throws<ArgumentOutOfRangeException>(() => pastTheEnd.Load());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Entry.View(map, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Entry.ReadOnlyView(map, long.MinValue));

        var first = new Entry.View(map, 0);
        map.Close();
        Assert.Throws<ObjectDisposedException>(() => first.Id);
        Assert.Throws<ObjectDisposedException>(() => first.Name = "x");
        Assert.Throws<ObjectDisposedException>(() => first.Path[0].X);
    }

    [Fact]
    public void LayoutInfoDescribesTheFields()
    {
        Assert.Equal("Overlay.Generators.Tests.Layouts.Entry", Entry.LayoutInfo.Name);
        Assert.Equal(64, Entry.LayoutInfo.SizeInBytes);
        Assert.Equal(Entry.LayoutFingerprint, Entry.LayoutInfo.Fingerprint);
        LayoutField path = Entry.LayoutInfo.Fields[4];
        Assert.Equal(("Path", 32, 24, LayoutFieldKind.LayoutArray, 3), (path.Name, path.Offset, path.SizeInBytes, path.Kind, path.Length));
        Assert.Same(Point.LayoutInfo, path.Layout);
        Assert.True(Entry.LayoutInfo.Fields[5].IsBigEndian);
        Assert.Equal(Entry.SizeInBytes, Size<Entry>());
    }

    [Fact]
    public void FingerprintIsTheFnvHashOfTheCanonicalText()
    {
        // docs/layouts.md: FNV-1a 64 over "size=<n>;" then "<name>:<type>:<offset>:<size>:<le|be>:<length>;" per field.
        Assert.Equal(Point.LayoutFingerprint, Fnv1a("size=8;X:i32:0:4:le:0;Y:i32:4:4:le:0;"));
        Assert.NotEqual(Point.LayoutFingerprint, Entry.LayoutFingerprint);
    }

    private static int Size<T>()
        where T : struct, IMappedLayout<T> => T.SizeInBytes;

    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
