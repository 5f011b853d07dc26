using System;
using System.Collections.Generic;
using System.Text;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary><see cref="MemoryMap.EnumerateLines"/>: allocation-free lines that agree with <see cref="MemoryMap.ReadLine"/>.</summary>
public class LineEnumerationTests
{
    public static TheoryData<string, int> Shapes => new()
    {
        { "a", 0 },
        { "abc", 0 },
        { "abc\n", 0 },
        { "abc\ndef", 0 },
        { "abc\ndef\n", 0 },
        { "\n", 0 },
        { "\n\n\n", 0 },
        { "\n\n\nx", 0 },
        { "a\n\nb\n\n", 0 },
        { "\nstarts with a newline", 0 },
        { "one\r\ntwo\r\n", 0 },
        { "no\0newline\0but\0zeros", 0 },
        { "first line\nsecond line\nthird", 4 },
        { "first line\nsecond line\nthird", 10 },
        { "first line\nsecond line\nthird", 11 },
        { "first line\nsecond line\nthird", 26 },
        { "first line\nsecond line\nthird", 28 },
        { "x\n", 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LinesEqualReadLineAndTheCursorFollows(string text, int start)
    {
        using var file = new FeatureTempFile(Encoding.UTF8.GetBytes(text));
        using var map = MemoryMap.Open(file.Path, MapAccess.Read);

        map.Position = start;
        var expected = new List<byte[]>();
        var expectedPositions = new List<long>();
        for (byte[] line = map.ReadLine(); line.Length > 0; line = map.ReadLine())
        {
            expected.Add(line);
            expectedPositions.Add(map.Position);
        }

        map.Position = start;
        var actual = new List<byte[]>();
        var positions = new List<long>();
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            actual.Add(line.ToArray());
            positions.Add(map.Position);
        }

        Assert.Equal(expected, actual);
        Assert.Equal(expectedPositions, positions);
        Assert.Equal(map.Length, map.Position);
        Assert.Equal(Encoding.UTF8.GetBytes(text)[start..], Concat(actual));
    }

    [Fact]
    public void LinesOfALongFileWithManyShapes()
    {
        var builder = new StringBuilder();
        var random = new Random(1234);
        for (int i = 0; i < 2000; i++)
        {
            builder.Append('x', random.Next(0, 200)).Append('\n');
        }

        builder.Append("tail");
        string text = builder.ToString();
        int expectedCount = text[333..].Split('\n').Length; // every newline ends a line, and "tail" is one more
        using var file = new FeatureTempFile(Encoding.ASCII.GetBytes(text));
        using var map = MemoryMap.Open(file.Path);
        map.Position = 333;

        int count = 0;
        using var reference = MemoryMap.Open(file.Path, MapAccess.Read);
        reference.Position = 333;
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            Assert.True(line.SequenceEqual(reference.ReadLine()));
            Assert.Equal(reference.Position, map.Position);
            count++;
        }

        Assert.Equal(expectedCount, count);
        Assert.Empty(reference.ReadLine());
    }

    [Fact]
    public void SeekingDuringTheWalkRestartsItAtTheNewCursor()
    {
        using var file = new FeatureTempFile(Encoding.ASCII.GetBytes(new string('a', 100) + "\nb\n" + new string('c', 70) + "\nd"));
        using var map = MemoryMap.Open(file.Path);
        var seen = new System.Collections.Generic.List<string>();
        bool rewound = false;
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            seen.Add(Encoding.ASCII.GetString(line));
            if (seen.Count == 2 && !rewound)
            {
                rewound = true;
                map.Seek(50);
            }
        }

        Assert.Equal(
            [new string('a', 100) + "\n", "b\n", new string('a', 50) + "\n", "b\n", new string('c', 70) + "\n", "d"],
            seen);
    }

    [Fact]
    public void AtOrPastTheEndThereAreNoLines()
    {
        using var file = new FeatureTempFile("abc\ndef\n"u8);
        using var map = MemoryMap.Open(file.Path);
        map.Seek(0, System.IO.SeekOrigin.End);
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            Assert.Fail("no line expected at the end");
        }

        // A shrink leaves the cursor past the end, as in Python.
        map.Resize(2);
        Assert.Equal(8, map.Position);
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            Assert.Fail("no line expected past the end");
        }

        Assert.Equal(8, map.Position);
        map.Close();
    }

    [Fact]
    public void LinesAreSpansOverTheMapNotCopies()
    {
        using var file = new FeatureTempFile("aaa\nbbb\nccc"u8);
        using var map = MemoryMap.Open(file.Path);
        int index = 0;
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            long lineStart = map.Position - line.Length;
            map[lineStart] = (byte)('0' + index++);
            Assert.Equal((byte)('0' + index - 1), line[0]);
        }

        Assert.Equal("0aa\n1bb\n2cc"u8.ToArray(), file.ReadAll());
    }

    [Fact]
    public void CloseAndResizeAreRefusedDuringEnumerationAndAllowedAfter()
    {
        using var file = new FeatureTempFile("one\ntwo\nthree\n"u8);
        var map = MemoryMap.Open(file.Path);
        int lines = 0;
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            Assert.Throws<InvalidOperationException>(map.Close);
            Assert.Throws<InvalidOperationException>(map.Dispose);
            Assert.Throws<InvalidOperationException>(() => map.Resize(100));
            Assert.Throws<InvalidOperationException>(() => map.Protect(MapProtection.None));
            Assert.False(map.IsClosed);
            Assert.Equal(4, map.Find("two"u8, 0));
            lines++;
        }

        Assert.Equal(3, lines);
        map.Resize(3);
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void BreakingOutOfForeachReleasesTheMap()
    {
        using var file = new FeatureTempFile("one\ntwo\nthree\n"u8);
        var map = MemoryMap.Open(file.Path);
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            Assert.True(line.SequenceEqual("one\n"u8));
            break;
        }

        Assert.Equal(4, map.Position);
        Assert.Equal("two\n"u8.ToArray(), map.ReadLine());
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void AnExceptionInTheLoopReleasesTheMap()
    {
        using var file = new FeatureTempFile("one\ntwo\n"u8);
        var map = MemoryMap.Open(file.Path);
        Assert.Throws<FormatException>(() =>
        {
            foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
            {
                throw new FormatException(line.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        });

        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void TheEnumeratorHoldsTheMapFromCreationToDispose()
    {
        using var file = new FeatureTempFile("a\nb\n"u8);
        var map = MemoryMap.Open(file.Path);
        MappedLineEnumerator enumerator = map.EnumerateLines().GetEnumerator();
        Assert.Throws<InvalidOperationException>(map.Close);
        Assert.True(enumerator.MoveNext());
        Assert.True(enumerator.Current.SequenceEqual("a\n"u8));
        Assert.True(enumerator.MoveNext());
        Assert.True(enumerator.MoveNext() is false);
        Assert.True(enumerator.MoveNext() is false);
        Assert.True(enumerator.Current.IsEmpty);
        Assert.Throws<InvalidOperationException>(map.Close);

        enumerator.Dispose();
        Assert.True(enumerator.Current.IsEmpty);
        bool threw = false;
        try
        {
            enumerator.MoveNext();
        }
        catch (ObjectDisposedException)
        {
            threw = true;
        }

        Assert.True(threw);
        map.Close();
    }

    [Fact]
    public void TwoEnumeratorsBothHoldAndADoubleDisposeReleasesOnce()
    {
        using var file = new FeatureTempFile("a\nb\n"u8);
        var map = MemoryMap.Open(file.Path);
        MappedLineEnumerator first = map.EnumerateLines().GetEnumerator();
        MappedLineEnumerator second = map.EnumerateLines().GetEnumerator();
        first.Dispose();
        first.Dispose();
        Assert.Throws<InvalidOperationException>(map.Close);
        second.Dispose();
        map.Close();
    }

    [Fact]
    public void EnumerationNeedsAnOpenReadableMap()
    {
        using var file = new FeatureTempFile("a\nb\n"u8);
        var map = MemoryMap.Open(file.Path);
        map.Protect(MapProtection.None);
        Assert.Throws<NotSupportedException>(() => map.EnumerateLines());
        map.Protect(MapProtection.Read);
        int count = 0;
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            count++;
        }

        Assert.Equal(2, count);
        map.Close();
        Assert.Throws<ObjectDisposedException>(() => map.EnumerateLines());
    }

    private static byte[] Concat(List<byte[]> parts)
    {
        var all = new List<byte>();
        foreach (byte[] part in parts)
        {
            all.AddRange(part);
        }

        return all.ToArray();
    }
}
