using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Overlay.Generators.Tests.Layouts;
using Overlay.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>
/// The generated <c>Ref</c> and <c>ReadOnlyRef</c> of the layouts in this project, over real mapped
/// files (through <see cref="MappedArray{TView}.Pin{TRef}(Action{MappedSpan{TRef}})"/>) and over
/// plain arrays: every field kind in both byte orders, checked against <see cref="BinaryPrimitives"/>
/// reads of the same bytes and against what the generated <c>View</c> reads there.
/// </summary>
public class RefRoundTripTests
{
    private static readonly Guid s_guid = new("00112233-4455-6677-8899-aabbccddeeff");

    private static readonly Probe<Scalars, Scalars.View, Scalars.Ref, Scalars.ReadOnlyRef> s_scalars = new(
        static b => new Scalars.Ref(b), static b => new Scalars.ReadOnlyRef(b),
        FieldsOf, FieldsOf, FieldsOf, ScalarsIn,
        static r => r.Load(), static r => r.Load(), static (r, value) => r.Store(value));

    private static readonly Probe<BigScalars, BigScalars.View, BigScalars.Ref, BigScalars.ReadOnlyRef> s_bigScalars = new(
        static b => new BigScalars.Ref(b), static b => new BigScalars.ReadOnlyRef(b),
        FieldsOf, FieldsOf, FieldsOf, BigScalarsIn,
        static r => r.Load(), static r => r.Load(), static (r, value) => r.Store(value));

    private static readonly Probe<BigSmalls, BigSmalls.View, BigSmalls.Ref, BigSmalls.ReadOnlyRef> s_bigSmalls = new(
        static b => new BigSmalls.Ref(b), static b => new BigSmalls.ReadOnlyRef(b),
        FieldsOf, FieldsOf, FieldsOf, BigSmallsIn,
        static r => r.Load(), static r => r.Load(), static (r, value) => r.Store(value));

    private static readonly Probe<Entry, Entry.View, Entry.Ref, Entry.ReadOnlyRef> s_entry = new(
        static b => new Entry.Ref(b), static b => new Entry.ReadOnlyRef(b),
        FieldsOf, FieldsOf, FieldsOf, EntryIn,
        static r => r.Load(), static r => r.Load(), static (r, value) => r.Store(value));

    private static readonly Probe<Composite, Composite.View, Composite.Ref, Composite.ReadOnlyRef> s_composite = new(
        static b => new Composite.Ref(b), static b => new Composite.ReadOnlyRef(b),
        FieldsOf, FieldsOf, FieldsOf, CompositeIn,
        static r => r.Load(), static r => r.Load(), static (r, value) => r.Store(value));

    [Fact]
    public void EveryLittleEndianFieldRoundTripsThroughTheRef() =>
        AssertWritesRoundTrip(s_scalars, WriteScalars, ScalarValues());

    [Fact]
    public void EveryBigEndianFieldRoundTripsThroughTheRef() =>
        AssertWritesRoundTrip(s_bigScalars, WriteBigScalars, BigScalarValues());

    [Fact]
    public void BoolOneByteValuesAndValueArraysOfABigEndianLayoutRoundTripThroughTheRef() =>
        AssertWritesRoundTrip(s_bigSmalls, WriteBigSmalls, BigSmallsValues());

    [Fact]
    public void StringsNestedLayoutsAndArraysRoundTripThroughTheRef() =>
        AssertWritesRoundTrip(s_entry, static r => WriteEntry(r, 0), EntryValues(0));

    [Fact]
    public void NestedBigEndianLayoutsAndArraysOfLayoutsRoundTripThroughTheRef() =>
        AssertWritesRoundTrip(s_composite, WriteComposite, CompositeValues());

    [Theory]
    [InlineData(0)] // every byte 0xFF: NaNs, true bools, invalid UTF-8, enums outside their members
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RefReadOnlyRefAndViewReadWhatBinaryPrimitivesReadsFromArbitraryBytes(int seed)
    {
        byte[] content = Arbitrary(seed, 3 + Composite.SizeInBytes + 1);
        AssertAllAgreeOn(s_scalars, content);
        AssertAllAgreeOn(s_bigScalars, content);
        AssertAllAgreeOn(s_bigSmalls, content);
        AssertAllAgreeOn(s_entry, content);
        AssertAllAgreeOn(s_composite, content);
    }

    [Fact]
    public void RawBytesAreInEachFieldsByteOrder()
    {
        // Hand-written expectations, independent of the helpers that decode whole records.
        byte[] little = new byte[Scalars.SizeInBytes];
        var l = new Scalars.Ref(little);
        l.I32 = 0x01020304;
        l.Letter = 'Ж';
        l.Id = s_guid;
        Assert.Equal("04030201", Convert.ToHexString(little, Scalars.Offsets.I32, 4));
        Assert.Equal("1604", Convert.ToHexString(little, Scalars.Offsets.Letter, 2));
        Assert.Equal("33221100554477668899AABBCCDDEEFF", Convert.ToHexString(little, Scalars.Offsets.Id, 16));

        byte[] big = new byte[BigScalars.SizeInBytes];
        var b = new BigScalars.Ref(big);
        b.I32 = 0x01020304;
        b.Letter = 'Ж';
        b.Id = s_guid;
        b.Little = 0x11223344;
        Assert.Equal("01020304", Convert.ToHexString(big, BigScalars.Offsets.I32, 4));
        Assert.Equal("0416", Convert.ToHexString(big, BigScalars.Offsets.Letter, 2));
        Assert.Equal("00112233445566778899AABBCCDDEEFF", Convert.ToHexString(big, BigScalars.Offsets.Id, 16));
        Assert.Equal("44332211", Convert.ToHexString(big, BigScalars.Offsets.Little, 4));

        byte[] smalls = new byte[BigSmalls.SizeInBytes];
        var s = new BigSmalls.Ref(smalls);
        s.BigInts.CopyFrom([0x01020304, 0, 0]);
        s.LittleInts.CopyFrom([0x01020304, 0, 0]);
        MappedValueSpan<Wide> wides = s.Wides;
        wides[1] = Wide.High;
        Assert.Equal("01020304", Convert.ToHexString(smalls, BigSmalls.Offsets.BigInts, 4));
        Assert.Equal("04030201", Convert.ToHexString(smalls, BigSmalls.Offsets.LittleInts, 4));
        Assert.Equal("0102030405060708", Convert.ToHexString(smalls, BigSmalls.Offsets.Wides + 8, 8));

        // What the View writes for the same values: the same bytes.
        using var map = MemoryMap.Anonymous(BigScalars.SizeInBytes);
        var view = new BigScalars.View(map, 0);
        view.I32 = 0x01020304;
        view.Letter = 'Ж';
        view.Id = s_guid;
        view.Little = 0x11223344;
        Assert.Equal(big, map[0..BigScalars.SizeInBytes]);
    }

    [Fact]
    public void WritesThroughTheViewAreReadThroughTheRefAndTheOtherWayRound()
    {
        using var file = new TempFile(2 * Entry.SizeInBytes);
        using var map = MemoryMap.Open(file.Path);
        var records = new MappedArray<Entry.View>(map, 0, 2);
        Entry.View view = records[1];
        view.Name = "from view";
        view.Code = "VW";
        Point.View origin = view.Origin;
        origin.X = 41;
        Point.View step = view.Path[1];
        step.Y = -9;
        MappedValueArray<ushort> slots = view.Slots;
        slots[2] = 0xABCD;

        records.Pin<Entry.Ref>(span =>
        {
            Entry.Ref r = span[1];
            Assert.Equal(("from view", "VW", 41, -9, (ushort)0xABCD), (r.Name, r.Code, r.Origin.X, r.Path[1].Y, r.Slots[2]));
            Entry.ReadOnlyRef ro = r;
            Assert.Equal(("from view", "VW", 41, -9, (ushort)0xABCD), (ro.Name, ro.Code, ro.Origin.X, ro.Path[1].Y, ro.Slots[2]));

            r.Id = 99;
            r.Name = "from ref";
            Point.Ref first = r.Path[0];
            first.X = 1234;
            MappedValueSpan<ushort> refSlots = r.Slots;
            refSlots[0] = 0x0102;

            // The pin does not stop views: both reach the same memory, at once.
            Assert.Equal(99u, view.Id);
            view.Code = "NEW";
            Assert.Equal("NEW", r.Code);
        });

        Assert.Equal((99u, "from ref", "NEW", 1234, (ushort)0x0102), (view.Id, view.Name, view.Code, view.Path[0].X, view.Slots[0]));
        byte[] bytes = file.Bytes;
        Assert.Equal(new byte[Entry.SizeInBytes], bytes[..Entry.SizeInBytes]);
        Assert.Equal(1234, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Entry.SizeInBytes + Entry.Offsets.Path + Point.Offsets.X)));
        Assert.Equal(0x0102, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(Entry.SizeInBytes + Entry.Offsets.Slots)));
    }

    [Fact]
    public void ReadOnlyRefsReadTheSameBytesWithoutCopyingThem()
    {
        byte[] bytes = new byte[Scalars.SizeInBytes];
        var r = new Scalars.Ref(bytes);
        WriteScalars(r);
        Assert.Equal(ScalarValues(), FieldsOf(r.AsReadOnly()));
        Scalars.ReadOnlyRef converted = r;
        Assert.Equal(ScalarValues(), FieldsOf(converted));
        ReadOnlySpan<byte> readOnlyBytes = bytes;
        var ro = new Scalars.ReadOnlyRef(readOnlyBytes);
        Assert.Equal(ScalarValues(), FieldsOf(ro));

        // A ReadOnlyRef is a window, not a snapshot.
        r.I32 = 5;
        bytes[Scalars.Offsets.U8] = 0x11;
        Assert.Equal((5, (byte)0x11), (ro.I32, ro.U8));
        Assert.Equal((5, (byte)0x11), (converted.I32, converted.U8));

        Scalars loaded = ro.Load();
        Assert.Equal((5, (byte)0x11, s_guid, Wide.High), (loaded.I32, loaded.U8, loaded.Id, loaded.Wide));
    }

    [Fact]
    public void AnyNonZeroBoolByteReadsTrueAndWritesStoreOneOrZero()
    {
        byte[] bytes = new byte[Scalars.SizeInBytes];
        bytes[Scalars.Offsets.Flag] = 0x7F;
        var r = new Scalars.Ref(bytes);
        using (MemoryMap map = MapOf(bytes))
        {
            Assert.True(new Scalars.View(map, 0).Flag);
        }

        Assert.True(r.Flag);
        Assert.True(new Scalars.ReadOnlyRef(bytes).Flag);
        Assert.True(r.Load().Flag);
        r.Flag = true;
        Assert.Equal(1, bytes[Scalars.Offsets.Flag]);
        bytes[Scalars.Offsets.Flag] = 0x80;
        Assert.True(r.Flag);
        r.Flag = false;
        Assert.Equal(0, bytes[Scalars.Offsets.Flag]);
        Assert.False(r.Flag);

        // In a bool array and in a big-endian layout nested in a pinned record.
        using var file = new TempFile(Composite.SizeInBytes);
        using var mapped = MemoryMap.Open(file.Path);
        mapped[Composite.Offsets.Flags + 1] = 0x7F;
        mapped[Composite.Offsets.Flags + 2] = 0xFF;
        mapped[Composite.Offsets.Small + BigSmalls.Offsets.Flag] = 0x7F;
        var records = new MappedArray<Composite.View>(mapped, 0, 1);
        Assert.Equal([false, true, true, false], records[0].Flags.ToArray());
        records.Pin<Composite.Ref>(static span =>
        {
            Composite.Ref c = span[0];
            Assert.Equal([false, true, true, false], c.Flags.ToArray());
            Assert.Equal([false, true, true, false], c.AsReadOnly().Flags.ToArray());
            Assert.True(c.Small.Flag);
            Assert.True(c.AsReadOnly().Small.Flag);
            MappedValueSpan<bool> flags = c.Flags;
            flags[0] = true;
            flags[1] = true;
            flags[2] = false;
            BigSmalls.Ref small = c.Small;
            small.Flag = true;
        });
        Assert.Equal([1, 1, 0, 0], mapped[Composite.Offsets.Flags..(Composite.Offsets.Flags + 4)]);
        Assert.Equal(1, mapped[Composite.Offsets.Small + BigSmalls.Offsets.Flag]);
    }

    [Fact]
    public void ConstructorsRefuseASpanShorterThanTheRecord()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new Scalars.Ref(new byte[Scalars.SizeInBytes - 1]));
        Assert.Equal("bytes", error.ParamName);
        Assert.Equal("bytes", Assert.Throws<ArgumentOutOfRangeException>(() => new Scalars.ReadOnlyRef(new byte[Scalars.SizeInBytes - 1])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scalars.Ref(Span<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BigScalars.ReadOnlyRef(ReadOnlySpan<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Point.Ref(new byte[7]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BigSmalls.Ref(new byte[BigSmalls.SizeInBytes - 1]));

        // The reserved bytes after Entry's last field count: the record is 64 bytes.
        Assert.Throws<ArgumentOutOfRangeException>(() => new Entry.Ref(new byte[Entry.SizeInBytes - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Entry.ReadOnlyRef(new byte[Entry.SizeInBytes - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Composite.Ref(new byte[Composite.SizeInBytes - 1]));

        // Exactly the record is enough; a longer span is used from its start.
        byte[] exact = new byte[Point.SizeInBytes];
        var point = new Point.Ref(exact);
        point.Y = 7;
        Assert.Equal(7, BinaryPrimitives.ReadInt32LittleEndian(exact.AsSpan(Point.Offsets.Y)));
        byte[] longer = new byte[Point.SizeInBytes + 4];
        var first = new Point.Ref(longer);
        first.Y = -1;
        Assert.Equal([0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], longer);
    }

    [Fact]
    public void InvalidStringsThroughTheRefThrowAndWriteNothing()
    {
        byte[] bytes = Pattern(Entry.SizeInBytes);
        var r = new Entry.Ref(bytes);
        r.Name = "keep";
        r.Code = "OK";
        byte[] before = bytes.ToArray();
        AssertStringsRefused(r);
        Assert.Equal(before, bytes);
        Assert.Equal(("keep", "OK"), (r.Name, r.Code));

        // What fits exactly fills the field with no terminator; null is stored as empty.
        r.Name = "éééééé";
        r.Code = "ABCDEF";
        Assert.Equal(Encoding.UTF8.GetBytes("éééééé"), bytes[Entry.Offsets.Name..(Entry.Offsets.Name + 12)]);
        Assert.Equal("ABCDEF"u8.ToArray(), bytes[Entry.Offsets.Code..(Entry.Offsets.Code + 6)]);
        Assert.Equal(("éééééé", "ABCDEF"), (r.Name, r.Code));
        r.Name = null!;
        Assert.Equal(new byte[12], bytes[Entry.Offsets.Name..(Entry.Offsets.Name + 12)]);
        Assert.Equal(string.Empty, r.Name);

        // The same through a pinned record of a mapped file.
        using var file = new TempFile(Entry.SizeInBytes);
        using (var map = MemoryMap.Open(file.Path))
        {
            var view = new Entry.View(map, 0);
            view.Name = "keep";
            view.Code = "OK";
            new MappedArray<Entry.View>(map, 0, 1).Pin<Entry.Ref>(static span => AssertStringsRefused(span[0]));
        }

        byte[] expected = new byte[Entry.SizeInBytes];
        "keep"u8.CopyTo(expected.AsSpan(Entry.Offsets.Name));
        "OK"u8.CopyTo(expected.AsSpan(Entry.Offsets.Code));
        Assert.Equal(expected, file.Bytes);
    }

    [Fact]
    public void StoreOfAnInvalidValueWritesNothing()
    {
        var good = new Entry { Id = 1, Name = "a", Code = "b", Path = new Point[3], Slots = new ushort[3] };
        Entry[] bad =
        [
            good with { Name = "much too long!" },
            good with { Name = "a\0b" },
            good with { Code = "ünïcode" },
            good with { Code = "seven77" },
            good with { Path = new Point[2] },
            good with { Path = null! },
            good with { Slots = new ushort[4] },
            good with { Slots = null! },
        ];

        // Every bad value fails on a field after Id, yet Id (offset 0) keeps its bytes.
        byte[] bytes = Pattern(Entry.SizeInBytes);
        byte[] before = bytes.ToArray();
        var r = new Entry.Ref(bytes);
        foreach (Entry value in bad)
        {
            Throws<ArgumentException, Entry.Ref>(r, x => x.Store(value));
            Assert.Equal(before, bytes);
        }

        // A nested record that cannot be stored stops the outer Store before its first byte.
        byte[] composite = new byte[Composite.SizeInBytes];
        WriteComposite(new Composite.Ref(composite));
        Composite whole = new Composite.ReadOnlyRef(composite).Load();
        Composite[] badComposites =
        [
            whole with { Entries = [whole.Entries[0], whole.Entries[1] with { Name = "thirteen char" }] },
            whole with { Entries = [whole.Entries[0]] },
            whole with { Small = whole.Small with { BigInts = [1, 2] } },
            whole with { Flags = new bool[5] },
        ];
        byte[] compositeBefore = Pattern(Composite.SizeInBytes);
        composite = compositeBefore.ToArray();
        var c = new Composite.Ref(composite);
        foreach (Composite value in badComposites)
        {
            Throws<ArgumentException, Composite.Ref>(c, x => x.Store(value));
            Assert.Equal(compositeBefore, composite);
        }

        // The same through pinned records of a mapped file.
        using var file = new TempFile(Entry.SizeInBytes);
        using (var map = MemoryMap.Open(file.Path))
        {
            map.WriteAt(0, before);
            new MappedArray<Entry.View>(map, 0, 1).Pin<Entry.Ref>(span =>
            {
                foreach (Entry value in bad)
                {
                    Throws<ArgumentException, Entry.Ref>(span[0], x => x.Store(value));
                }
            });
        }

        Assert.Equal(before, file.Bytes);

        // And a good value is stored.
        r.Store(good);
        Assert.Equal((1u, "a", "b"), (r.Id, r.Name, r.Code));
        Assert.Equal(new byte[Point.SizeInBytes], bytes[Entry.Offsets.Origin..(Entry.Offsets.Origin + Point.SizeInBytes)]);
    }

    [Fact]
    public void LoadAndStoreThroughTheRefMatchTheViewByteForByte()
    {
        AssertLoadStoreRoundTrip(s_scalars, WriteScalars);
        AssertLoadStoreRoundTrip(s_bigScalars, WriteBigScalars);
        AssertLoadStoreRoundTrip(s_bigSmalls, WriteBigSmalls);
        AssertLoadStoreRoundTrip(s_entry, static r => WriteEntry(r, 5));
        AssertLoadStoreRoundTrip(s_composite, WriteComposite);
    }

    [Fact]
    public void LoadAndStoreRoundTripThroughAPinnedRecord()
    {
        var value = new Entry
        {
            Id = 42, Name = "héllo", Code = "AB12", Origin = new Point { X = -3, Y = 4 },
            Path = [new Point { X = 1 }, new Point { Y = 2 }, new Point { X = 3, Y = 4 }], Slots = [1, 0x1234, 0xFFFF],
        };
        using var file = new TempFile(2 * Entry.SizeInBytes);
        using var map = MemoryMap.Open(file.Path);
        var records = new MappedArray<Entry.View>(map, 0, 2);
        Entry loaded = records.Pin<Entry.Ref, Entry>(span =>
        {
            span[1].Store(value);
            return span[1].Load();
        });

        AssertEntriesEqual(value, loaded);
        AssertEntriesEqual(value, records[1].Load());
        AssertEntriesEqual(value, records.PinReadOnly<Entry.ReadOnlyRef, Entry>(static span => span[1].Load()));

        // The View's Store writes the same bytes into record 0.
        records[0].Store(value);
        byte[] bytes = file.Bytes;
        Assert.Equal(bytes[..Entry.SizeInBytes], bytes[Entry.SizeInBytes..]);
    }

    [Fact]
    public void NestedRefsAndArraysOfNestedRefsReachTheirBytes()
    {
        byte[] bytes = new byte[Composite.SizeInBytes];
        var r = new Composite.Ref(bytes);
        Assert.Equal(2, r.Entries.Length);
        Entry.Ref second = r.Entries[1];
        Assert.Equal(3, second.Path.Length);
        Point.Ref origin = second.Origin;
        origin.Y = 0x11223344;
        Point.Ref last = second.Path[2];
        last.X = -7;
        BigScalars.Ref big = r.Big;
        big.I32 = 0x01020304;

        int entry1 = Composite.Offsets.Entries + Entry.SizeInBytes;
        Assert.Equal(0x11223344, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(entry1 + Entry.Offsets.Origin + Point.Offsets.Y)));
        Assert.Equal(-7, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(entry1 + Entry.Offsets.Path + (2 * Point.SizeInBytes) + Point.Offsets.X)));
        Assert.Equal(0x01020304, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(Composite.Offsets.Big + BigScalars.Offsets.I32)));
        Assert.Equal(12, bytes.Count(x => x != 0)); // those three values and nothing else

        // Every way of reading them agrees.
        Assert.Equal(-7, r.Entries[1].Path[2].X);
        Assert.Equal(-7, second.Path.Slice(1, 2)[1].X);
        Composite.ReadOnlyRef ro = r;
        Assert.Equal((0x11223344, -7, 0x01020304), (ro.Entries[1].Origin.Y, ro.Entries[1].Path[2].X, ro.Big.I32));
        Assert.Equal(-7, ro.Entries.Slice(1, 1)[0].Path[2].X);
        using (MemoryMap map = MapOf(bytes))
        {
            var view = new Composite.View(map, 0);
            Assert.Equal((0x11223344, -7, 0x01020304), (view.Entries[1].Origin.Y, view.Entries[1].Path[2].X, view.Big.I32));
        }

        // Arrays of records are bounds-checked as MappedSpan is: ArgumentOutOfRangeException.
        Throws<ArgumentOutOfRangeException, MappedSpan<Entry.Ref>>(r.Entries, static s => _ = s[2]);
        Throws<ArgumentOutOfRangeException, MappedSpan<Entry.Ref>>(r.Entries, static s => _ = s[-1]);
        Throws<ArgumentOutOfRangeException, MappedSpan<Point.Ref>>(second.Path, static s => _ = s[3]);
        Throws<ArgumentOutOfRangeException, ReadOnlyMappedSpan<Entry.ReadOnlyRef>>(ro.Entries, static s => _ = s[2]);
        Throws<ArgumentOutOfRangeException, MappedSpan<Point.Ref>>(second.Path, static s => _ = s.Slice(2, 2));
        Assert.Equal(12, bytes.Count(x => x != 0));
    }

    [Fact]
    public void ValueSpanIndexOutsideTheArrayThrowsIndexOutOfRangeAndWritesNothing()
    {
        byte[] bytes = new byte[Entry.SizeInBytes];
        var r = new Entry.Ref(bytes);
        Assert.Equal(3, r.Slots.Length);
        foreach (int index in new[] { 3, -1, int.MaxValue, int.MinValue })
        {
            IndexOutOfRangeException error = Throws<IndexOutOfRangeException, MappedValueSpan<ushort>>(r.Slots, s => _ = s[index]);
            Assert.Contains(index.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
            Throws<IndexOutOfRangeException, MappedValueSpan<ushort>>(r.Slots, s => s[index] = 0xFFFF);
            Throws<IndexOutOfRangeException, ReadOnlyMappedValueSpan<ushort>>(r.AsReadOnly().Slots, s => _ = s[index]);
        }

        var c = new Composite.Ref(new byte[Composite.SizeInBytes]);
        Throws<IndexOutOfRangeException, MappedValueSpan<bool>>(c.Flags, static s => s[4] = true);
        Throws<IndexOutOfRangeException, MappedValueSpan<Color>>(c.Colors, static s => _ = s[3]);
        Throws<IndexOutOfRangeException, MappedValueSpan<float>>(c.Floats, static s => s[2] = 1);
        Assert.Equal(new byte[Entry.SizeInBytes], bytes);

        // The last element is inside.
        MappedValueSpan<ushort> slots = r.Slots;
        slots[2] = 0xFFFF;
        Assert.Equal(0xFFFF, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(Entry.Offsets.Slots + 4)));
    }

    [Fact]
    public void ValueSpanCopyFromOfTheWrongLengthThrowsAndWritesNothing()
    {
        byte[] bytes = Pattern(Entry.SizeInBytes);
        byte[] before = bytes.ToArray();
        var r = new Entry.Ref(bytes);
        foreach (ushort[] values in new[] { new ushort[2], new ushort[4], [] })
        {
            ArgumentException error = Throws<ArgumentException, MappedValueSpan<ushort>>(r.Slots, s => s.CopyFrom(values));
            Assert.Equal("values", error.ParamName);
            Assert.Contains("nothing was written", error.Message);
        }

        Assert.Equal(before, bytes);

        byte[] composite = Pattern(Composite.SizeInBytes);
        byte[] compositeBefore = composite.ToArray();
        var c = new Composite.Ref(composite);
        Throws<ArgumentException, MappedValueSpan<bool>>(c.Flags, static s => s.CopyFrom([true, true, true]));
        Throws<ArgumentException, MappedValueSpan<long>>(c.Longs, static s => s.CopyFrom([1L, 2L, 3L]));
        Throws<ArgumentException, MappedValueSpan<Wide>>(c.Small.Wides, static s => s.CopyFrom([Wide.Low]));
        Assert.Equal(compositeBefore, composite);

        r.Slots.CopyFrom([0x0102, 0x0304, 0x0506]);
        Assert.Equal("010203040506", Convert.ToHexString(bytes, Entry.Offsets.Slots, 6));
        Assert.Equal([(ushort)0x0102, (ushort)0x0304, (ushort)0x0506], r.Slots.ToArray());
        Assert.Equal([(ushort)0x0102, (ushort)0x0304, (ushort)0x0506], r.AsReadOnly().Slots.ToArray());
    }

    [Fact]
    public void ForeachVisitsEveryRecordAndEveryElementInOrder()
    {
        // Over bytes, a MappedSpan holds as many whole records as fit.
        byte[] bytes = new byte[(3 * Point.SizeInBytes) + 5];
        var points = new MappedSpan<Point.Ref>(bytes);
        Assert.Equal(3, points.Length);
        Assert.False(points.IsEmpty);
        Assert.True(new MappedSpan<Point.Ref>(new byte[Point.SizeInBytes - 1]).IsEmpty);
        Assert.Equal(0, new ReadOnlyMappedSpan<Point.ReadOnlyRef>(ReadOnlySpan<byte>.Empty).Length);
        for (int i = 0; i < points.Length; i++)
        {
            Point.Ref p = points[i];
            p.X = i + 10;
        }

        var xs = new List<int>();
        foreach (Point.Ref p in points)
        {
            xs.Add(p.X);
        }

        var readOnlyXs = new List<int>();
        foreach (Point.ReadOnlyRef p in new ReadOnlyMappedSpan<Point.ReadOnlyRef>(bytes))
        {
            readOnlyXs.Add(p.X);
        }

        Assert.Equal([10, 11, 12], xs);
        Assert.Equal([10, 11, 12], readOnlyXs);
        Assert.Equal(11, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Point.SizeInBytes)));

        // Value spans, little- and big-endian, and records nested in records.
        byte[] composite = new byte[Composite.SizeInBytes];
        var c = new Composite.Ref(composite);
        WriteComposite(c);
        var colors = new List<Color>();
        foreach (Color color in c.Colors)
        {
            colors.Add(color);
        }

        var floats = new List<float>();
        foreach (float f in c.AsReadOnly().Floats)
        {
            floats.Add(f);
        }

        var paths = new List<(int X, int Y)>();
        var slots = new List<ushort>();
        foreach (Entry.Ref e in c.Entries)
        {
            foreach (Point.Ref p in e.Path)
            {
                paths.Add((p.X, p.Y));
            }

            foreach (ushort slot in e.Slots)
            {
                slots.Add(slot);
            }
        }

        Assert.Equal([Color.Red, Color.Blue, Color.Green], colors);
        Assert.Equal([3.25f, -0.5f], floats);
        Assert.Equal([(0, -1), (10, -11), (20, -21), (1, -2), (11, -12), (21, -22)], paths);
        Assert.Equal([(ushort)0x1234, (ushort)0xBEEF, (ushort)0x8000, (ushort)0x1235, (ushort)0xBEEE, (ushort)0x8001], slots);

        // Over a pinned file: the records of the array, in order.
        using var file = new TempFile(5 * Point.SizeInBytes);
        using var map = MemoryMap.Open(file.Path);
        var array = new MappedArray<Point.View>(map, 0, 5);
        for (int i = 0; i < 5; i++)
        {
            Point.View p = array[i];
            p.Y = 100 + i;
        }

        List<int> ys = array.Pin<Point.Ref, List<int>>(static span =>
        {
            var seen = new List<int>();
            foreach (Point.Ref p in span)
            {
                seen.Add(p.Y);
            }

            return seen;
        });
        Assert.Equal([100, 101, 102, 103, 104], ys);
    }

    // The generated private fields used to be _map/_offset/_start: a layout field of one of those
    // names made generated code that did not compile. They are __map/__offset/__start now (reserved
    // by OVL109, see DiagnosticTests), so these names are plain field names again.
    [Theory]
    [InlineData("_map")]
    [InlineData("_offset")]
    [InlineData("_start")]
    public void FieldsNamedLikeTheOldPrivateFieldsCompile(string name)
    {
        Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation = Compiler.Create($$"""
            using Overlay;
            using Overlay.Layouts;
            namespace Game;
            [MappedLayout]
            public partial struct Clash { public int A; public int {{name}}; }
            """);
        Assert.Empty(Compiler.Analyze(compilation).Where(d => d.Id.StartsWith("OVL", StringComparison.Ordinal)));
        (_, Compilation output) = Compiler.Generate(compilation);
        string[] errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToArray();
        Assert.Empty(errors);
    }

    // Sets every field of each layout through the Ref's setters (nested records and arrays through
    // theirs); the matching *Values() list what the fields then hold, in FieldsOf order.
    private static void WriteScalars(Scalars.Ref r)
    {
        r.Flag = true;
        r.U8 = 0xAB;
        r.I8 = -2;
        r.I16 = -1234;
        r.U16 = 0xBEEF;
        r.Letter = 'Ж';
        r.F16 = (Half)1.5f;
        r.I32 = -123456789;
        r.U32 = 0xDEADBEEF;
        r.F32 = 3.25f;
        r.I64 = -1234567890123;
        r.U64 = 0x0102030405060708;
        r.F64 = -2.5;
        r.Id = s_guid;
        r.Color = Color.Blue;
        r.Wide = Wide.High;
    }

    private static object[] ScalarValues() =>
    [
        true, (byte)0xAB, (sbyte)-2, (short)-1234, (ushort)0xBEEF, 'Ж', Bits((Half)1.5f), -123456789, 0xDEADBEEF, Bits(3.25f),
        -1234567890123L, 0x0102030405060708UL, Bits(-2.5), s_guid, Color.Blue, Wide.High,
    ];

    private static void WriteBigScalars(BigScalars.Ref r)
    {
        r.I16 = -1234;
        r.U16 = 0xBEEF;
        r.Letter = 'Ж';
        r.F16 = (Half)(-0.75f);
        r.I32 = -123456789;
        r.U32 = 0xDEADBEEF;
        r.F32 = 3.25f;
        r.I64 = -1234567890123;
        r.U64 = 0x0102030405060708;
        r.F64 = -2.5;
        r.Id = s_guid;
        r.Wide = Wide.Low;
        r.Little = 0x11223344;
    }

    private static object[] BigScalarValues() =>
    [
        (short)-1234, (ushort)0xBEEF, 'Ж', Bits((Half)(-0.75f)), -123456789, 0xDEADBEEF, Bits(3.25f),
        -1234567890123L, 0x0102030405060708UL, Bits(-2.5), s_guid, Wide.Low, 0x11223344,
    ];

    private static void WriteBigSmalls(BigSmalls.Ref r)
    {
        r.Flag = true;
        r.U8 = 0xFE;
        r.I8 = -100;
        r.Color = Color.Green;
        MappedValueSpan<int> bigInts = r.BigInts;
        bigInts[0] = 0x01020304;
        bigInts[1] = -2;
        bigInts[2] = int.MinValue;
        r.LittleInts.CopyFrom([0x0A0B0C0D, -1, int.MaxValue]);
        MappedValueSpan<Wide> wides = r.Wides;
        wides[0] = Wide.Low;
        wides[1] = Wide.High;
        r.Letters.CopyFrom(['Ж', 'z']);
    }

    private static object[] BigSmallsValues() =>
    [
        true, (byte)0xFE, (sbyte)-100, Color.Green, 3, 0x01020304, -2, int.MinValue, 3, 0x0A0B0C0D, -1, int.MaxValue,
        Wide.Low, Wide.High, 'Ж', 'z',
    ];

    private static void WriteEntry(Entry.Ref r, int k)
    {
        r.Id = 7u + (uint)k;
        r.Name = $"héllo{k}";
        r.Code = $"AB1{k}";
        Point.Ref origin = r.Origin;
        origin.X = -3 - k;
        origin.Y = 4 + k;
        MappedSpan<Point.Ref> path = r.Path;
        for (int i = 0; i < path.Length; i++)
        {
            Point.Ref p = path[i];
            p.X = (10 * i) + k;
            p.Y = -(10 * i) - k - 1;
        }

        MappedValueSpan<ushort> slots = r.Slots;
        slots[0] = (ushort)(0x1234 + k);
        slots[1] = (ushort)(0xBEEF - k);
        slots[2] = (ushort)(0x8000 + k);
    }

    private static object[] EntryValues(int k) =>
    [
        7u + (uint)k, $"héllo{k}", $"AB1{k}", -3 - k, 4 + k,
        3, k, -k - 1, 10 + k, -11 - k, 20 + k, -21 - k,
        3, (ushort)(0x1234 + k), (ushort)(0xBEEF - k), (ushort)(0x8000 + k),
    ];

    private static void WriteComposite(Composite.Ref r)
    {
        r.Tag = 0xCAFEBABE;
        r.Flags.CopyFrom([true, false, true, true]);
        MappedValueSpan<Color> colors = r.Colors;
        colors[0] = Color.Red;
        colors[1] = Color.Blue;
        colors[2] = Color.Green;
        r.Longs.CopyFrom([-1234567890123, long.MaxValue]);
        r.Halves.CopyFrom([(Half)1.5f, (Half)(-0.25f)]);
        r.Floats.CopyFrom([3.25f, -0.5f]);
        MappedValueSpan<ulong> bigULongs = r.BigULongs;
        bigULongs[0] = 0x0102030405060708;
        bigULongs[1] = 1;
        WriteBigSmalls(r.Small);
        WriteBigScalars(r.Big);
        WriteEntry(r.Entries[0], 0);
        WriteEntry(r.Entries[1], 1);
    }

    private static object[] CompositeValues() =>
    [
        0xCAFEBABE, 4, true, false, true, true, 3, Color.Red, Color.Blue, Color.Green, -1234567890123L, long.MaxValue,
        Bits((Half)1.5f), Bits((Half)(-0.25f)), Bits(3.25f), Bits(-0.5f), 0x0102030405060708UL, 1UL,
        .. BigSmallsValues(), .. BigScalarValues(), 2, .. EntryValues(0), .. EntryValues(1),
    ];

    // Every field as read through a Ref, a ReadOnlyRef and a View, and as decoded from the bytes
    // with BinaryPrimitives. Floating-point values are compared as bits, so NaNs compare exactly.
    private static object[] FieldsOf(Scalars.Ref r) =>
    [
        r.Flag, r.U8, r.I8, r.I16, r.U16, r.Letter, Bits(r.F16), r.I32, r.U32, Bits(r.F32), r.I64, r.U64, Bits(r.F64), r.Id, r.Color, r.Wide,
    ];

    private static object[] FieldsOf(Scalars.ReadOnlyRef r) =>
    [
        r.Flag, r.U8, r.I8, r.I16, r.U16, r.Letter, Bits(r.F16), r.I32, r.U32, Bits(r.F32), r.I64, r.U64, Bits(r.F64), r.Id, r.Color, r.Wide,
    ];

    private static object[] FieldsOf(Scalars.View r) =>
    [
        r.Flag, r.U8, r.I8, r.I16, r.U16, r.Letter, Bits(r.F16), r.I32, r.U32, Bits(r.F32), r.I64, r.U64, Bits(r.F64), r.Id, r.Color, r.Wide,
    ];

    private static object[] ScalarsIn(ReadOnlySpan<byte> b) =>
    [
        b[Scalars.Offsets.Flag] != 0,
        b[Scalars.Offsets.U8],
        (sbyte)b[Scalars.Offsets.I8],
        BinaryPrimitives.ReadInt16LittleEndian(b[Scalars.Offsets.I16..]),
        BinaryPrimitives.ReadUInt16LittleEndian(b[Scalars.Offsets.U16..]),
        (char)BinaryPrimitives.ReadUInt16LittleEndian(b[Scalars.Offsets.Letter..]),
        Bits(BinaryPrimitives.ReadHalfLittleEndian(b[Scalars.Offsets.F16..])),
        BinaryPrimitives.ReadInt32LittleEndian(b[Scalars.Offsets.I32..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[Scalars.Offsets.U32..]),
        Bits(BinaryPrimitives.ReadSingleLittleEndian(b[Scalars.Offsets.F32..])),
        BinaryPrimitives.ReadInt64LittleEndian(b[Scalars.Offsets.I64..]),
        BinaryPrimitives.ReadUInt64LittleEndian(b[Scalars.Offsets.U64..]),
        Bits(BinaryPrimitives.ReadDoubleLittleEndian(b[Scalars.Offsets.F64..])),
        new Guid(b.Slice(Scalars.Offsets.Id, 16)),
        (Color)b[Scalars.Offsets.Color],
        (Wide)BinaryPrimitives.ReadInt64LittleEndian(b[Scalars.Offsets.Wide..]),
    ];

    private static object[] FieldsOf(BigScalars.Ref r) =>
    [
        r.I16, r.U16, r.Letter, Bits(r.F16), r.I32, r.U32, Bits(r.F32), r.I64, r.U64, Bits(r.F64), r.Id, r.Wide, r.Little,
    ];

    private static object[] FieldsOf(BigScalars.ReadOnlyRef r) =>
    [
        r.I16, r.U16, r.Letter, Bits(r.F16), r.I32, r.U32, Bits(r.F32), r.I64, r.U64, Bits(r.F64), r.Id, r.Wide, r.Little,
    ];

    private static object[] FieldsOf(BigScalars.View r) =>
    [
        r.I16, r.U16, r.Letter, Bits(r.F16), r.I32, r.U32, Bits(r.F32), r.I64, r.U64, Bits(r.F64), r.Id, r.Wide, r.Little,
    ];

    private static object[] BigScalarsIn(ReadOnlySpan<byte> b) =>
    [
        BinaryPrimitives.ReadInt16BigEndian(b[BigScalars.Offsets.I16..]),
        BinaryPrimitives.ReadUInt16BigEndian(b[BigScalars.Offsets.U16..]),
        (char)BinaryPrimitives.ReadUInt16BigEndian(b[BigScalars.Offsets.Letter..]),
        Bits(BinaryPrimitives.ReadHalfBigEndian(b[BigScalars.Offsets.F16..])),
        BinaryPrimitives.ReadInt32BigEndian(b[BigScalars.Offsets.I32..]),
        BinaryPrimitives.ReadUInt32BigEndian(b[BigScalars.Offsets.U32..]),
        Bits(BinaryPrimitives.ReadSingleBigEndian(b[BigScalars.Offsets.F32..])),
        BinaryPrimitives.ReadInt64BigEndian(b[BigScalars.Offsets.I64..]),
        BinaryPrimitives.ReadUInt64BigEndian(b[BigScalars.Offsets.U64..]),
        Bits(BinaryPrimitives.ReadDoubleBigEndian(b[BigScalars.Offsets.F64..])),
        new Guid(b.Slice(BigScalars.Offsets.Id, 16), bigEndian: true),
        (Wide)BinaryPrimitives.ReadInt64BigEndian(b[BigScalars.Offsets.Wide..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[BigScalars.Offsets.Little..]),
    ];

    private static object[] FieldsOf(BigSmalls.Ref r) =>
    [
        r.Flag, r.U8, r.I8, r.Color, r.BigInts.Length, r.BigInts[0], r.BigInts[1], r.BigInts[2],
        r.LittleInts.Length, r.LittleInts[0], r.LittleInts[1], r.LittleInts[2], r.Wides[0], r.Wides[1], r.Letters[0], r.Letters[1],
    ];

    private static object[] FieldsOf(BigSmalls.ReadOnlyRef r) =>
    [
        r.Flag, r.U8, r.I8, r.Color, r.BigInts.Length, r.BigInts[0], r.BigInts[1], r.BigInts[2],
        r.LittleInts.Length, r.LittleInts[0], r.LittleInts[1], r.LittleInts[2], r.Wides[0], r.Wides[1], r.Letters[0], r.Letters[1],
    ];

    private static object[] FieldsOf(BigSmalls.View r) =>
    [
        r.Flag, r.U8, r.I8, r.Color, r.BigInts.Length, r.BigInts[0], r.BigInts[1], r.BigInts[2],
        r.LittleInts.Length, r.LittleInts[0], r.LittleInts[1], r.LittleInts[2], r.Wides[0], r.Wides[1], r.Letters[0], r.Letters[1],
    ];

    private static object[] BigSmallsIn(ReadOnlySpan<byte> b) =>
    [
        b[BigSmalls.Offsets.Flag] != 0,
        b[BigSmalls.Offsets.U8],
        (sbyte)b[BigSmalls.Offsets.I8],
        (Color)b[BigSmalls.Offsets.Color],
        3,
        BinaryPrimitives.ReadInt32BigEndian(b[BigSmalls.Offsets.BigInts..]),
        BinaryPrimitives.ReadInt32BigEndian(b[(BigSmalls.Offsets.BigInts + 4)..]),
        BinaryPrimitives.ReadInt32BigEndian(b[(BigSmalls.Offsets.BigInts + 8)..]),
        3,
        BinaryPrimitives.ReadInt32LittleEndian(b[BigSmalls.Offsets.LittleInts..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[(BigSmalls.Offsets.LittleInts + 4)..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[(BigSmalls.Offsets.LittleInts + 8)..]),
        (Wide)BinaryPrimitives.ReadInt64BigEndian(b[BigSmalls.Offsets.Wides..]),
        (Wide)BinaryPrimitives.ReadInt64BigEndian(b[(BigSmalls.Offsets.Wides + 8)..]),
        (char)BinaryPrimitives.ReadUInt16BigEndian(b[BigSmalls.Offsets.Letters..]),
        (char)BinaryPrimitives.ReadUInt16BigEndian(b[(BigSmalls.Offsets.Letters + 2)..]),
    ];

    private static object[] FieldsOf(Entry.Ref r) =>
    [
        r.Id, Text(r, static x => x.Name), Text(r, static x => x.Code), r.Origin.X, r.Origin.Y,
        r.Path.Length, r.Path[0].X, r.Path[0].Y, r.Path[1].X, r.Path[1].Y, r.Path[2].X, r.Path[2].Y,
        r.Slots.Length, r.Slots[0], r.Slots[1], r.Slots[2],
    ];

    private static object[] FieldsOf(Entry.ReadOnlyRef r) =>
    [
        r.Id, Text(r, static x => x.Name), Text(r, static x => x.Code), r.Origin.X, r.Origin.Y,
        r.Path.Length, r.Path[0].X, r.Path[0].Y, r.Path[1].X, r.Path[1].Y, r.Path[2].X, r.Path[2].Y,
        r.Slots.Length, r.Slots[0], r.Slots[1], r.Slots[2],
    ];

    private static object[] FieldsOf(Entry.View r) =>
    [
        r.Id, Text(r, static x => x.Name), Text(r, static x => x.Code), r.Origin.X, r.Origin.Y,
        (int)r.Path.Count, r.Path[0].X, r.Path[0].Y, r.Path[1].X, r.Path[1].Y, r.Path[2].X, r.Path[2].Y,
        r.Slots.Length, r.Slots[0], r.Slots[1], r.Slots[2],
    ];

    private static object[] EntryIn(ReadOnlySpan<byte> b) =>
    [
        BinaryPrimitives.ReadUInt32LittleEndian(b[Entry.Offsets.Id..]),
        Utf8Until0(b.Slice(Entry.Offsets.Name, 12)),
        AsciiUntil0(b.Slice(Entry.Offsets.Code, 6)),
        BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Origin + Point.Offsets.X)..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Origin + Point.Offsets.Y)..]),
        3,
        BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Path + Point.Offsets.X)..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Path + Point.Offsets.Y)..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Path + Point.SizeInBytes + Point.Offsets.X)..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Path + Point.SizeInBytes + Point.Offsets.Y)..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Path + (2 * Point.SizeInBytes) + Point.Offsets.X)..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[(Entry.Offsets.Path + (2 * Point.SizeInBytes) + Point.Offsets.Y)..]),
        3,
        BinaryPrimitives.ReadUInt16BigEndian(b[Entry.Offsets.Slots..]),
        BinaryPrimitives.ReadUInt16BigEndian(b[(Entry.Offsets.Slots + 2)..]),
        BinaryPrimitives.ReadUInt16BigEndian(b[(Entry.Offsets.Slots + 4)..]),
    ];

    private static object[] FieldsOf(Composite.Ref r) =>
    [
        r.Tag, r.Flags.Length, r.Flags[0], r.Flags[1], r.Flags[2], r.Flags[3], r.Colors.Length, r.Colors[0], r.Colors[1], r.Colors[2],
        r.Longs[0], r.Longs[1], Bits(r.Halves[0]), Bits(r.Halves[1]), Bits(r.Floats[0]), Bits(r.Floats[1]), r.BigULongs[0], r.BigULongs[1],
        .. FieldsOf(r.Small), .. FieldsOf(r.Big), r.Entries.Length, .. FieldsOf(r.Entries[0]), .. FieldsOf(r.Entries[1]),
    ];

    private static object[] FieldsOf(Composite.ReadOnlyRef r) =>
    [
        r.Tag, r.Flags.Length, r.Flags[0], r.Flags[1], r.Flags[2], r.Flags[3], r.Colors.Length, r.Colors[0], r.Colors[1], r.Colors[2],
        r.Longs[0], r.Longs[1], Bits(r.Halves[0]), Bits(r.Halves[1]), Bits(r.Floats[0]), Bits(r.Floats[1]), r.BigULongs[0], r.BigULongs[1],
        .. FieldsOf(r.Small), .. FieldsOf(r.Big), r.Entries.Length, .. FieldsOf(r.Entries[0]), .. FieldsOf(r.Entries[1]),
    ];

    private static object[] FieldsOf(Composite.View r) =>
    [
        r.Tag, r.Flags.Length, r.Flags[0], r.Flags[1], r.Flags[2], r.Flags[3], r.Colors.Length, r.Colors[0], r.Colors[1], r.Colors[2],
        r.Longs[0], r.Longs[1], Bits(r.Halves[0]), Bits(r.Halves[1]), Bits(r.Floats[0]), Bits(r.Floats[1]), r.BigULongs[0], r.BigULongs[1],
        .. FieldsOf(r.Small), .. FieldsOf(r.Big), (int)r.Entries.Count, .. FieldsOf(r.Entries[0]), .. FieldsOf(r.Entries[1]),
    ];

    private static object[] CompositeIn(ReadOnlySpan<byte> b)
    {
        ReadOnlySpan<byte> flags = b.Slice(Composite.Offsets.Flags, 4);
        ReadOnlySpan<byte> colors = b.Slice(Composite.Offsets.Colors, 3);
        return
        [
            BinaryPrimitives.ReadUInt32LittleEndian(b[Composite.Offsets.Tag..]),
            4, flags[0] != 0, flags[1] != 0, flags[2] != 0, flags[3] != 0,
            3, (Color)colors[0], (Color)colors[1], (Color)colors[2],
            BinaryPrimitives.ReadInt64LittleEndian(b[Composite.Offsets.Longs..]),
            BinaryPrimitives.ReadInt64LittleEndian(b[(Composite.Offsets.Longs + 8)..]),
            Bits(BinaryPrimitives.ReadHalfLittleEndian(b[Composite.Offsets.Halves..])),
            Bits(BinaryPrimitives.ReadHalfLittleEndian(b[(Composite.Offsets.Halves + 2)..])),
            Bits(BinaryPrimitives.ReadSingleBigEndian(b[Composite.Offsets.Floats..])),
            Bits(BinaryPrimitives.ReadSingleBigEndian(b[(Composite.Offsets.Floats + 4)..])),
            BinaryPrimitives.ReadUInt64BigEndian(b[Composite.Offsets.BigULongs..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[(Composite.Offsets.BigULongs + 8)..]),
            .. BigSmallsIn(b.Slice(Composite.Offsets.Small, BigSmalls.SizeInBytes)),
            .. BigScalarsIn(b.Slice(Composite.Offsets.Big, BigScalars.SizeInBytes)),
            2,
            .. EntryIn(b.Slice(Composite.Offsets.Entries, Entry.SizeInBytes)),
            .. EntryIn(b.Slice(Composite.Offsets.Entries + Entry.SizeInBytes, Entry.SizeInBytes)),
        ];
    }

    // Writes through a Ref at the second of two records of a mapped file (at an odd offset, so
    // nothing is aligned) and over a plain array; checks what every reader sees, and that the two
    // wrote the same bytes and nothing outside the record.
    private static void AssertWritesRoundTrip<TLayout, TView, TRef, TReadOnlyRef>(
        Probe<TLayout, TView, TRef, TReadOnlyRef> probe, Action<TRef> write, object[] expected)
        where TLayout : struct, IMappedLayout<TLayout>
        where TView : struct, IMappedView<TView>
        where TRef : IMappedRef<TRef>, allows ref struct
        where TReadOnlyRef : IReadOnlyMappedRef<TReadOnlyRef>, allows ref struct
    {
        int size = TView.SizeInBytes;
        using var file = new TempFile(3 + (2 * size) + 5);
        using (var map = MemoryMap.Open(file.Path))
        {
            var records = new MappedArray<TView>(map, 3, 2);
            records.Pin<TRef>(span =>
            {
                write(span[1]);
                Assert.Equal(expected, probe.OfRef(span[1]));
            });
            Assert.Equal(expected, probe.OfView(records[1]));
            Assert.Equal(expected, records.PinReadOnly<TReadOnlyRef, object[]>(span => probe.OfReadOnlyRef(span[1])));
        }

        byte[] mapped = file.Bytes;
        Assert.Equal(expected, probe.OfBytes(mapped.AsSpan(3 + size, size)));
        Assert.Equal(new byte[3 + size], mapped[..(3 + size)]);
        Assert.Equal(new byte[5], mapped[(3 + (2 * size))..]);

        byte[] plain = new byte[size + 2];
        write(probe.MakeRef(plain.AsSpan(1)));
        Assert.Equal(expected, probe.OfRef(probe.MakeRef(plain.AsSpan(1))));
        Assert.Equal(expected, probe.OfReadOnlyRef(probe.MakeReadOnlyRef(plain.AsSpan(1))));
        Assert.Equal(mapped[(3 + size)..(3 + (2 * size))], plain[1..^1]);
        Assert.Equal((0, 0), (plain[0], plain[^1]));
        using MemoryMap copy = MapOf(plain);
        Assert.Equal(expected, probe.OfView(TView.Create(copy, 1)));
    }

    // Reads the record at offset 3 of content every way there is: all must agree with BinaryPrimitives.
    private static void AssertAllAgreeOn<TLayout, TView, TRef, TReadOnlyRef>(Probe<TLayout, TView, TRef, TReadOnlyRef> probe, byte[] content)
        where TLayout : struct, IMappedLayout<TLayout>
        where TView : struct, IMappedView<TView>
        where TRef : IMappedRef<TRef>, allows ref struct
        where TReadOnlyRef : IReadOnlyMappedRef<TReadOnlyRef>, allows ref struct
    {
        object[] expected = probe.OfBytes(content.AsSpan(3, TView.SizeInBytes));
        using var file = new TempFile(content.Length);
        File.WriteAllBytes(file.Path, content);
        using (var map = MemoryMap.Open(file.Path))
        {
            var records = new MappedArray<TView>(map, 3, 1);
            Assert.Equal(expected, probe.OfView(records[0]));
            Assert.Equal(expected, records.Pin<TRef, object[]>(span => probe.OfRef(span[0])));
            Assert.Equal(expected, records.PinReadOnly<TReadOnlyRef, object[]>(span => probe.OfReadOnlyRef(span[0])));
        }

        Assert.Equal(expected, probe.OfRef(probe.MakeRef(content.AsSpan(3))));
        Assert.Equal(expected, probe.OfReadOnlyRef(probe.MakeReadOnlyRef(content.AsSpan(3))));
        Assert.Equal(content, file.Bytes); // reading wrote nothing
    }

    // Load through the Ref, then Store the value through another Ref, through the layout's
    // map-based Store (the View's) and back: the same bytes every time.
    private static void AssertLoadStoreRoundTrip<TLayout, TView, TRef, TReadOnlyRef>(Probe<TLayout, TView, TRef, TReadOnlyRef> probe, Action<TRef> write)
        where TLayout : struct, IMappedLayout<TLayout>
        where TView : struct, IMappedView<TView>
        where TRef : IMappedRef<TRef>, allows ref struct
        where TReadOnlyRef : IReadOnlyMappedRef<TReadOnlyRef>, allows ref struct
    {
        int size = TView.SizeInBytes;
        byte[] written = new byte[size];
        write(probe.MakeRef(written));
        object[] expected = probe.OfBytes(written);
        TLayout value = probe.LoadRef(probe.MakeRef(written));

        byte[] stored = new byte[size];
        probe.StoreRef(probe.MakeRef(stored), value);
        Assert.Equal(written, stored);

        using MemoryMap map = MemoryMap.Anonymous(size);
        TLayout.Store(map, 0, value);
        Assert.Equal(written, map[0..size]);

        // Store overwrites every field: stored over a pattern, the fields read as before.
        byte[] again = Pattern(size);
        probe.StoreRef(probe.MakeRef(again), TLayout.Load(map, 0));
        Assert.Equal(expected, probe.OfBytes(again));

        byte[] fromReadOnly = new byte[size];
        probe.StoreRef(probe.MakeRef(fromReadOnly), probe.LoadReadOnlyRef(probe.MakeReadOnlyRef(written)));
        Assert.Equal(written, fromReadOnly);

        // The layout's static Load/Store over spans (what RecordFile.Append(in T) stores through):
        // the same bytes, only the record's bytes of a longer span, and a short span refused.
        // (The record's own bytes start zeroed, as written's did: Store leaves bytes between fields alone.)
        byte[] longer = Pattern(size + 6);
        longer.AsSpan(3, size).Clear();
        byte[] untouched = (byte[])longer.Clone();
        TLayout.Store(longer.AsSpan(3), value);
        Assert.Equal(written, longer[3..(size + 3)]);
        Assert.Equal(untouched[..3], longer[..3]);
        Assert.Equal(untouched[(size + 3)..], longer[(size + 3)..]);
        byte[] reloaded = new byte[size];
        probe.StoreRef(probe.MakeRef(reloaded), TLayout.Load(longer.AsSpan(3)));
        Assert.Equal(written, reloaded);
        byte[] tooShort = Pattern(size - 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => TLayout.Store(tooShort, value));
        Assert.Equal(Pattern(size - 1), tooShort);
        Assert.Throws<ArgumentOutOfRangeException>(() => TLayout.Load(tooShort));
    }

    private static void AssertStringsRefused(Entry.Ref r)
    {
        Assert.Contains("needs 13 bytes", Throws<ArgumentException, Entry.Ref>(r, static x => x.Name = "thirteen char").Message);
        Assert.Contains("needs 14 bytes", Throws<ArgumentException, Entry.Ref>(r, static x => x.Name = "ééééééé").Message);
        Assert.Contains("NUL", Throws<ArgumentException, Entry.Ref>(r, static x => x.Name = "a\0b").Message);
        Assert.Contains("ASCII", Throws<ArgumentException, Entry.Ref>(r, static x => x.Code = "é").Message);
        Assert.Contains("ASCII", Throws<ArgumentException, Entry.Ref>(r, static x => x.Code = "Ж").Message);
        Assert.Contains("NUL", Throws<ArgumentException, Entry.Ref>(r, static x => x.Code = "ab\0").Message);
        Assert.Contains("needs 7 bytes", Throws<ArgumentException, Entry.Ref>(r, static x => x.Code = "seven77").Message);
    }

    private static void AssertEntriesEqual(Entry expected, Entry actual)
    {
        Assert.Equal((expected.Id, expected.Name, expected.Code, expected.Origin), (actual.Id, actual.Name, actual.Code, actual.Origin));
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(expected.Slots, actual.Slots);
    }

    // Assert.Throws for code that needs a ref struct: a lambda cannot capture one, so it is passed in.
    private static TException Throws<TException, TArg>(TArg arg, Action<TArg> action)
        where TException : Exception
        where TArg : allows ref struct
    {
        try
        {
            action(arg);
        }
        catch (Exception error)
        {
            return Assert.IsType<TException>(error);
        }

        Assert.Fail($"Expected {typeof(TException).Name}, but nothing was thrown.");
        return null!;
    }

    private static MemoryMap MapOf(ReadOnlySpan<byte> bytes)
    {
        MemoryMap map = MemoryMap.Anonymous(bytes.Length);
        map.WriteAt(0, bytes);
        return map;
    }

    // Seed 0: every byte 0xFF; otherwise random bytes from the seed.
    private static byte[] Arbitrary(int seed, int length)
    {
        byte[] bytes = new byte[length];
        if (seed == 0)
        {
            Array.Fill(bytes, (byte)0xFF);
        }
        else
        {
            new Random(seed).NextBytes(bytes);
        }

        return bytes;
    }

    // No zero byte anywhere, so a stray write of zeros (a string's padding, a cleared field) shows.
    private static byte[] Pattern(int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(0xA0 | (i & 0x1F));
        }

        return bytes;
    }

    // What a string field reads as: the text before the first zero, decoded strictly, or Refused
    // when the text does not decode or a non-zero byte follows the zero (hole 8).
    private static string Utf8Until0(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        if (end >= 0 && field[end..].ContainsAnyExcept((byte)0))
        {
            return Refused;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(end < 0 ? field : field[..end]);
        }
        catch (DecoderFallbackException)
        {
            return Refused;
        }
    }

    private static string AsciiUntil0(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        ReadOnlySpan<byte> text = end < 0 ? field : field[..end];
        return (end >= 0 && field[end..].ContainsAnyExcept((byte)0)) || !System.Text.Ascii.IsValid(text) ? Refused : Encoding.ASCII.GetString(text);
    }

    private const string Refused = "<InvalidDataException>";

    // A string accessor's value, or Refused where it throws InvalidDataException.
    private static string Text<T>(T record, Func<T, string> read)
        where T : allows ref struct
    {
        try
        {
            return read(record);
        }
        catch (InvalidDataException)
        {
            return Refused;
        }
    }

    private static short Bits(Half value) => BitConverter.HalfToInt16Bits(value);

    private static int Bits(float value) => BitConverter.SingleToInt32Bits(value);

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);

    /// <summary>How to make and read one layout's <c>Ref</c>, <c>ReadOnlyRef</c> and <c>View</c>, and how to decode its bytes independently.</summary>
    private sealed record Probe<TLayout, TView, TRef, TReadOnlyRef>(
        Func<Span<byte>, TRef> MakeRef,
        Func<ReadOnlySpan<byte>, TReadOnlyRef> MakeReadOnlyRef,
        Func<TRef, object[]> OfRef,
        Func<TReadOnlyRef, object[]> OfReadOnlyRef,
        Func<TView, object[]> OfView,
        Func<ReadOnlySpan<byte>, object[]> OfBytes,
        Func<TRef, TLayout> LoadRef,
        Func<TReadOnlyRef, TLayout> LoadReadOnlyRef,
        Action<TRef, TLayout> StoreRef)
        where TLayout : struct, IMappedLayout<TLayout>
        where TView : struct, IMappedView<TView>
        where TRef : IMappedRef<TRef>, allows ref struct
        where TReadOnlyRef : IReadOnlyMappedRef<TReadOnlyRef>, allows ref struct;
}
