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
            Assert.Equal(value, FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8));
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
        Assert.Equal(value, FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8));
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
        Assert.Equal("keep", FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8));
        Assert.Equal("keep\0\0\0\0\0\0\0\0"u8.ToArray(), FieldBytes(map));
    }

    [Fact]
    public void AsciiFieldsRefuseOtherCharactersAndWriteNothing()
    {
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        FixedStrings.Write(map, 4, Field, FixedStringEncoding.Ascii, "plain ASCII");
        Assert.Equal("plain ASCII", FixedStrings.Read(map, 4, Field, FixedStringEncoding.Ascii));
        Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 4, Field, FixedStringEncoding.Ascii, "café"));
        Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 4, Field, FixedStringEncoding.Ascii, "\u0080"));
        Assert.Equal("plain ASCII\0"u8.ToArray(), FieldBytes(map));
    }

    [Fact]
    public void AnAsciiFieldHoldingHighBytesReadsWithoutThrowing()
    {
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        map.WriteAt(4, new byte[] { (byte)'a', 0xC3, 0xA9, 0 });
        Assert.Equal("a??", FixedStrings.Read(map, 4, Field, FixedStringEncoding.Ascii));
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
        Assert.Equal(string.Empty, FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8));
    }

    [Fact]
    public void InvalidUtf8OnDiskReadsAsReplacementCharacters()
    {
        using TempPath temp = Guarded();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        map.WriteAt(4, new byte[] { (byte)'o', (byte)'k', 0xFF, 0xE2, 0x82, 0 });
        Assert.Equal("ok\uFFFD\uFFFD", FixedStrings.Read(map, 4, Field, FixedStringEncoding.Utf8));

        // No NUL at all: the whole field is the string (here the guard bytes, each invalid).
        Assert.Equal(new string('\uFFFD', 4), FixedStrings.Read(map, 16, 4, FixedStringEncoding.Utf8));
    }

    [Fact]
    public void LongFieldsUseThePooledBuffer()
    {
        using TempPath temp = new TempPath().WithBytes(1000, 0xCC);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        string value = string.Concat(Enumerable.Repeat("ü", 200)); // 400 bytes
        FixedStrings.Write(map, 0, 500, FixedStringEncoding.Utf8, value);
        Assert.Equal(value, FixedStrings.Read(map, 0, 500, FixedStringEncoding.Utf8));
        Assert.All(map[400..500], b => Assert.Equal(0, b));
        Assert.Equal(0xCC, map[500]);
        Assert.Throws<ArgumentException>(() => FixedStrings.Write(map, 0, 300, FixedStringEncoding.Utf8, value));
        Assert.Equal(value, FixedStrings.Read(map, 0, 500, FixedStringEncoding.Utf8));
    }

    [Fact]
    public void FieldsOutsideTheMapOrOnAReadOnlyMapThrow()
    {
        using TempPath temp = Guarded();
        using (MemoryMap map = MemoryMap.Open(temp.Path))
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => FixedStrings.Read(map, 10, Field, FixedStringEncoding.Utf8));
            Assert.Throws<ArgumentOutOfRangeException>(() => FixedStrings.Write(map, 10, Field, FixedStringEncoding.Utf8, "x"));
            Assert.Throws<ArgumentOutOfRangeException>(() => FixedStrings.Read(map, -1, Field, FixedStringEncoding.Utf8));
        }

        using MemoryMap readOnly = MemoryMap.Open(temp.Path, MapAccess.Read);
        Assert.Throws<NotSupportedException>(() => FixedStrings.Write(readOnly, 4, Field, FixedStringEncoding.Utf8, "x"));
        Assert.All(FieldBytes(readOnly), b => Assert.Equal(0xCC, b));
    }
}
