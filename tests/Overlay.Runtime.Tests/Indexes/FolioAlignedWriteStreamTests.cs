using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// The sorted index builder's output stream: a front-to-back writer's bytes reach the file in
/// writes that end on 2 MiB boundaries of the file, but where the writer moves, resizes or flushes
/// (docs/benchmarks/indexes.md, "The cliff at 50M keys"), and the file holds exactly what was written.
/// </summary>
public class FolioAlignedWriteStreamTests
{
    private const long Folio = FolioAlignedWriteStream.FolioBytes;

    [Theory]
    [InlineData(0L)]
    [InlineData(4096L)]
    [InlineData((3L << 20) + 777)]
    public void WritesEndOnFolioBoundariesAndTheBytesAreTheWriters(long fileOffset)
    {
        var inner = new RecordingStream();
        var expected = new MemoryStream();
        var random = new Random(11);
        using (var aligned = new FolioAlignedWriteStream(inner, fileOffset))
        {
            // As the builder: the keys from after the header, in pieces of every size, then the
            // values region after a jump, then the header at the start.
            Write(aligned, expected, 128, random, 9_500_000);
            Assert.Equal(128 + 9_500_000, aligned.Position);
            aligned.SetLength(10 << 20);
            expected.SetLength(10 << 20);
            aligned.Position = 10 << 20;
            Write(aligned, expected, 10 << 20, random, 5_000_000);
            byte[] header = new byte[128];
            random.NextBytes(header);
            aligned.Position = 0;
            expected.Position = 0;
            aligned.Write(header);
            expected.Write(header);
            aligned.Flush();
        }

        Assert.Equal(expected.ToArray(), inner.ToArray());

        // Every write ends on a boundary of the file but the last before each move: the keys' last
        // stretch, the values' last stretch, and the header.
        int unaligned = 0;
        foreach ((long offset, int length) in inner.Writes)
        {
            Assert.InRange(length, 1, 4 << 20);
            if ((fileOffset + offset + length) % Folio != 0)
            {
                unaligned++;
            }
        }

        Assert.True(inner.Writes.Count >= 6, $"{inner.Writes.Count} writes: too few to show where they end.");
        Assert.Equal(3, unaligned);
    }

    [Fact]
    public void ItOnlyWrites()
    {
        using var aligned = new FolioAlignedWriteStream(new MemoryStream());
        Assert.False(aligned.CanRead);
        Assert.Throws<NotSupportedException>(() => aligned.Read(new byte[1], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => aligned.Position = -1);
    }

    private static void Write(Stream aligned, MemoryStream expected, long at, Random random, int total)
    {
        aligned.Position = at;
        expected.Position = at;
        for (int done = 0; done < total;)
        {
            int size = Math.Min(total - done, random.Next(4) switch { 0 => random.Next(1, 64), 1 => random.Next(64, 70_000), 2 => 81_920, _ => random.Next(1 << 20, 5 << 20) });
            byte[] piece = new byte[size];
            random.NextBytes(piece);
            aligned.Write(piece);
            expected.Write(piece);
            done += size;
        }
    }

    /// <summary>A file's bytes in memory, with every write's offset and length.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        public List<(long Offset, int Length)> Writes { get; } = [];

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes.Add((Position, count));
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes.Add((Position, buffer.Length));
            base.Write(buffer);
        }
    }
}
