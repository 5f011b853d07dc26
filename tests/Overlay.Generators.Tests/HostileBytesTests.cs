using System;
using System.IO;
using System.Runtime.CompilerServices;
using Overlay.Generators.Tests.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>
/// Generated accessors over bytes a hostile or foreign file holds: fixed strings that do not decode
/// (hole 8) refuse to read, naming the field, so a Load never returns a value whose Store would
/// write other bytes; bools whose byte is not 0 or 1 read as the one true (hole 11c).
/// </summary>
public class HostileBytesTests
{
    private const string EntryName = "Overlay.Generators.Tests.Layouts.Entry";

    // Field bytes for Entry.Name (12 bytes at 4) or Entry.Code (6 ASCII bytes at 16).
    public static TheoryData<string, int, byte[], string> HostileStrings => new()
    {
        { "Name", Entry.Offsets.Name, [(byte)'C', (byte)'a', (byte)'f', 0xE9], "holds invalid UTF-8 at byte 3 of its 12." },
        { "Name", Entry.Offsets.Name, [0xFF], "holds invalid UTF-8 at byte 0 of its 12." },
        { "Code", Entry.Offsets.Code, [(byte)'a', 0xC3, 0xA9], "is ASCII but holds byte 0xC3 at byte 1 of its 6." },
        { "Name", Entry.Offsets.Name, [(byte)'a', 0, (byte)'z'], "holds byte 0x7A at byte 2 of its 12, after the zero that ends its text at byte 1" },
    };

    private static byte[] Record(int offset, byte[] field)
    {
        var bytes = new byte[Entry.SizeInBytes];
        field.CopyTo(bytes, offset);
        return bytes;
    }

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public void EveryReadOfAStringThatDoesNotDecodeThrowsNamingTheField(string field, int offset, byte[] stored, string problem)
    {
        using var file = new TempFile(Entry.SizeInBytes);
        File.WriteAllBytes(file.Path, Record(offset, stored));
        string expected = $"{EntryName}.{field} {problem}";
        using var map = MemoryMap.Open(file.Path);

        var view = new Entry.View(map, 0);
        Func<string> read = field == "Name" ? () => view.Name : () => view.Code;
        Assert.StartsWith(expected, Assert.Throws<InvalidDataException>(() => read()).Message);
        Assert.StartsWith(expected, Assert.Throws<InvalidDataException>(() => Entry.Load(map, 0)).Message);
        Assert.StartsWith(expected, Assert.Throws<InvalidDataException>(() => view.AsReadOnly().Load()).Message);

        byte[] bytes = Record(offset, stored);
        Assert.StartsWith(expected, Assert.Throws<InvalidDataException>(() => Entry.Load(bytes)).Message);
        Assert.StartsWith(expected, Assert.Throws<InvalidDataException>(() => field == "Name" ? new Entry.Ref(bytes).Name : new Entry.Ref(bytes).Code).Message);
        Assert.StartsWith(expected, Assert.Throws<InvalidDataException>(() => field == "Name" ? new Entry.ReadOnlyRef(bytes).Name : new Entry.ReadOnlyRef(bytes).Code).Message);
    }

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public void StoreOfWhatLoadReturnedNeverChangesTheFile(string field, int offset, byte[] stored, string problem)
    {
        _ = (field, problem);
        using var file = new TempFile(Entry.SizeInBytes);
        byte[] before = Record(offset, stored);
        File.WriteAllBytes(file.Path, before);
        using (var map = MemoryMap.Open(file.Path))
        {
            // Today's answer is to refuse the read; whatever the answer, the bytes must survive.
            try
            {
                Entry value = Entry.Load(map, 0);
                Entry.Store(map, 0, value);
            }
            catch (InvalidDataException)
            {
            }
        }

        Assert.Equal(before, file.Bytes);

        byte[] span = Record(offset, stored);
        try
        {
            Entry value = Entry.Load(span);
            Entry.Store(span, value);
        }
        catch (InvalidDataException)
        {
        }

        Assert.Equal(before, span);
    }

    [Fact]
    public void ValidStringsStillRoundTripByteForByte()
    {
        byte[] before = Record(Entry.Offsets.Name, "Café ☕"u8.ToArray());
        "AB-12"u8.CopyTo(before.AsSpan(Entry.Offsets.Code));
        byte[] span = (byte[])before.Clone();
        Entry value = Entry.Load(span);
        Assert.Equal(("Café ☕", "AB-12"), (value.Name, value.Code));
        Entry.Store(span, value);
        Assert.Equal(before, span);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void ABoolFieldReadsAsTheOneTrueWhateverItsNonZeroByte(byte stored)
    {
        var bytes = new byte[Scalars.SizeInBytes];
        bytes[Scalars.Offsets.Flag] = stored;
        using var map = MemoryMap.Anonymous(Scalars.SizeInBytes);
        map.WriteAt(0, bytes);

        Assert.All(
            new[]
            {
                new Scalars.View(map, 0).Flag,
                new Scalars.ReadOnlyView(map, 0).Flag,
                Scalars.Load(map, 0).Flag,
                new Scalars.Ref(bytes).Flag,
                new Scalars.ReadOnlyRef(bytes).Flag,
                Scalars.Load(bytes).Flag,
            },
            flag => Assert.Equal(1, Unsafe.As<bool, byte>(ref flag)));
    }
}
