using System;
using System.IO;
using System.Linq;
using System.Text;
using Overlay.Layouts;
using Overlay.Layouts.Support;
using Xunit;

namespace Overlay.Tests.Layouts;

public class FixedStringsTests
{
    private const int Field = 12;

    // A field at offset 4 of a 20-byte file, surrounded by 0xCC guard bytes.
    private static TempPath Guarded() => new TempPath().WithBytes(20, 0xCC);

    private static byte[] FieldBytes(MemoryMap map) => map[4..16];

    [Theory]
    [InlineData("héllo €")]
    [InlineData("日本語")]
    [InlineData("😀x")]
    [InlineData("")]
    public void Utf8RoundTripsAndIsZeroPaddedOnDisk(string value)
    {
        using TempPath temp = Guarded();
        using (MemoryMap map = MemoryMap.Open(temp.Path))
        {
            FixedStrings.Write(map, 4, Field, FixedStringEncoding.Utf8, value);
            Assert.Equal(value, FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8, "T.Name"));
        }

        byte[] encoded = Encoding.UTF8.GetBytes(value);
        byte[] expected = [0xCC, 0xCC, 0xCC, 0xCC, .. encoded, .. new byte[Field - encoded.Length], 0xCC, 0xCC, 0xCC, 0xCC];
        Assert.Equal(expected, File.ReadAllBytes(temp.Path));
    }

    [Theory]
    [InlineData("exactly12byt")]
    [InlineData("€€€€")] // 4 × 3 bytes
    [InlineData("ab€€€d")] // 1 + 1 + 9 + 1
    public void AStringThatFillsTheFieldExactlyHasNoTerminator(string value)
    {
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        FixedStrings.Write(map, 4, Field, FixedStringEncoding.Utf8, value);
        Assert.Equal(Encoding.UTF8.GetBytes(value), FieldBytes(map));
        Assert.Equal(value, FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8, "T.Name"));
        Assert.Equal(0xCC, map[16]);
    }

    [Theory]
    [InlineData("thirteen byte")]
    [InlineData("abcdefghijk€")] // 11 + 3 bytes: 12 characters, 14 bytes
    [InlineData("😀😀😀x")] // 13 bytes
    public void TooLongIsRefusedAndNothingIsWritten(string value)
    {
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        FixedStrings.Write(map, 4, Field, FixedStringEncoding.Utf8, "keep");
        ArgumentException error = Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 4, Field, FixedStringEncoding.Utf8, value));
        Assert.Contains($"needs {Encoding.UTF8.GetByteCount(value)} bytes but the field holds 12", error.Message);
        Assert.Equal("keep", FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8, "T.Name"));
        Assert.Equal("keep\0\0\0\0\0\0\0\0"u8.ToArray(), FieldBytes(map));
    }

    [Fact]
    public void AsciiFieldsRefuseOtherCharactersAndWriteNothing()
    {
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        FixedStrings.Write(map, 4, Field, FixedStringEncoding.Ascii, "plain ASCII");
        Assert.Equal("plain ASCII", FixedStrings.Read(map, 4, Field, FixedStringEncoding.Ascii, "T.Name"));
        Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 4, Field, FixedStringEncoding.Ascii, "café"));
        Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 4, Field, FixedStringEncoding.Ascii, "\u0080"));
        Assert.Equal("plain ASCII\0"u8.ToArray(), FieldBytes(map));
    }

    [Fact]
    public void AnAsciiFieldHoldingAHighByteIsRefusedNamingTheFieldAndTheByte()
    {
        // Hole 8: it used to read as "a??", and storing that back rewrote C3 A9 as 3F 3F.
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        map.WriteAt(4, new byte[] { (byte)'a', 0xC3, 0xA9, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => FixedStrings.Read(map, 4, Field, FixedStringEncoding.Ascii, "T.Name"));
        Assert.Equal("T.Name is ASCII but holds byte 0xC3 at byte 1 of its 12.", error.Message);
    }

    [Theory]
    [InlineData("a\0b")]
    [InlineData("\0")]
    [InlineData("end\0")]
    public void AnEmbeddedNulIsRefusedAndNothingIsWritten(string value)
    {
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 4, Field, FixedStringEncoding.Utf8, value));
        Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 4, Field, FixedStringEncoding.Ascii, value));
        Assert.All(FieldBytes(map), b => Assert.Equal(0xCC, b));
    }

    [Fact]
    public void AShorterStringClearsTheRestOfTheField()
    {
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        FixedStrings.Write(map, 4, Field, FixedStringEncoding.Utf8, "longer value");
        FixedStrings.Write(map, 4, Field, FixedStringEncoding.Utf8, "é");
        Assert.Equal("é\0\0\0\0\0\0\0\0\0\0"u8.ToArray(), FieldBytes(map));
        FixedStrings.Write(map, 4, Field, FixedStringEncoding.Utf8, null);
        Assert.Equal(new byte[Field], FieldBytes(map));
        Assert.Equal(string.Empty, FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8, "T.Name"));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'o', (byte)'k', 0xFF, 0xE2, 0x82, 0 }, 2)]
    [InlineData(new byte[] { (byte)'C', (byte)'a', (byte)'f', 0xE9, 0 }, 3)] // Latin-1 "Café"
    [InlineData(new byte[] { (byte)'a', 0xE2, 0x82, 0 }, 1)] // truncated sequence
    [InlineData(new byte[] { 0xED, 0xA0, 0x80, 0 }, 0)] // an encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF, 0 }, 0)] // overlong
    public void InvalidUtf8OnDiskIsRefusedNamingTheFieldAndTheByte(byte[] bytes, int at)
    {
        // Hole 8: invalid bytes used to read as U+FFFD, which a Store then wrote back as EF BF BD.
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        map.WriteAt(4, new byte[Field]);
        map.WriteAt(4, bytes);
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8, "T.Name"));
        Assert.Equal($"T.Name holds invalid UTF-8 at byte {at} of its 12.", error.Message);
        Assert.Throws<InvalidDataException>(() => FixedStrings.Read(bytes, FixedStringEncoding.Utf8, "T.Name"));

        // No NUL at all: the whole field is the string (here the guard bytes, each invalid).
        Assert.Throws<InvalidDataException>(() => FixedStrings.Read(map, 16, 4, FixedStringEncoding.Utf8, "T.Name"));
    }

    [Theory]
    [InlineData(FixedStringEncoding.Utf8)]
    [InlineData(FixedStringEncoding.Ascii)]
    public void ANonZeroByteAfterTheTerminatorIsRefused(FixedStringEncoding encoding)
    {
        // A Store of what was read would zero it: refused, so a Load that succeeds always stores back the same bytes.
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        map.WriteAt(4, "ab\0\0x\0\0\0\0\0\0\0"u8);
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => FixedStrings.Read(map, 4, Field, encoding, "T.Name"));
        Assert.StartsWith("T.Name holds byte 0x78 at byte 4 of its 12, after the zero that ends its text at byte 2", error.Message);
    }

    [Fact]
    public void ALoneSurrogateIsRefusedOnWrite()
    {
        // It has no UTF-8 form: the encoder used to store U+FFFD, so the value read back differed.
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 4, Field, FixedStringEncoding.Utf8, "a\uD800"));
        Assert.Throws<ArgumentException>(() => FixedStrings.Validate("\uDC00b", Field, FixedStringEncoding.Utf8));
        Assert.All(FieldBytes(map), b => Assert.Equal(0xCC, b));
    }

    [Fact]
    public void ANegativeLengthIsAnArgumentOutOfRange()
    {
        // Hole 11b: stackalloc of a negative length threw OverflowException.
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => FixedStrings.Read(map, 4, -1, FixedStringEncoding.Utf8, "T.Name")).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => FixedStrings.Write(map, 4, -1, FixedStringEncoding.Utf8, "x")).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => FixedStrings.Validate("x", -1, FixedStringEncoding.Utf8)).ParamName);
        Assert.All(FieldBytes(map), b => Assert.Equal(0xCC, b));
    }

    [Fact]
    public void LongFieldsUseThePooledBuffer()
    {
        using TempPath temp = new TempPath().WithBytes(1000, 0xCC);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        string value = string.Concat(Enumerable.Repeat("ü", 200)); // 400 bytes
        FixedStrings.Write(map, 0, 500, FixedStringEncoding.Utf8, value);
        Assert.Equal(value, FixedStrings.Read(map, 0, 500, FixedStringEncoding.Utf8, "T.Name"));
        Assert.All(map[400..500], b => Assert.Equal(0, b));
        Assert.Equal(0xCC, map[500]);
        Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 0, 300, FixedStringEncoding.Utf8, value));
        Assert.Equal(value, FixedStrings.Read(map, 0, 500, FixedStringEncoding.Utf8, "T.Name"));
    }

    [Fact]
    public void FieldsOutsideTheMapOrOnAReadOnlyMapThrow()
    {
        using TempPath temp = Guarded();
        using (MemoryMap map = MemoryMap.Open(temp.Path))
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => FixedStrings.Read(map, 10, Field, FixedStringEncoding.Utf8, "T.Name"));
            Assert.Throws<ArgumentOutOfRangeException>(() => FixedStrings.Write(map, 10, Field, FixedStringEncoding.Utf8, "x"));
            Assert.Throws<ArgumentOutOfRangeException>(() => FixedStrings.Read(map, -1, Field, FixedStringEncoding.Utf8, "T.Name"));
        }

        using MemoryMap readOnly = MemoryMap.Open(temp.Path, MapAccess.Read);
        Assert.Throws<NotSupportedException>(() => FixedStrings.Write(readOnly, 4, Field, FixedStringEncoding.Utf8, "x"));
        Assert.All(FieldBytes(readOnly), b => Assert.Equal(0xCC, b));
    }
}
