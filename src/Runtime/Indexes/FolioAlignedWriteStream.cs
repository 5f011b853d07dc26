using System;
using System.IO;

namespace Overlay.Indexes;

/// <summary>
/// A write-only stream over a file for a writer that writes front to back: it passes the bytes on
/// in writes of about 4 MiB that each end on a 2 MiB boundary of the file, so that the page cache
/// can hold what was written in 2 MiB folios, which the kernel maps with one TLB entry each rather
/// than 512 (docs/benchmarks/indexes.md, "The cliff at 50M keys": writes that straddle those
/// boundaries leave small folios, and random lookups in them cost many times more at scale).
/// Moving the position, <see cref="SetLength"/> and <see cref="Flush"/> write what is buffered
/// first, so only a region's last stretch is written short.
/// </summary>
internal sealed class FolioAlignedWriteStream : Stream
{
    /// <summary>The page cache's largest folio on Linux x64 and arm64 with 4 KiB pages (a PMD).</summary>
    internal const long FolioBytes = 2 << 20;

    // Two folios: a full buffer always holds a boundary to write up to.
    private const int BufferBytes = 4 << 20;

    private readonly Stream _inner;
    private readonly long _fileOffset;
    private readonly byte[] _buffer = new byte[BufferBytes];

    // Where the buffer's first byte goes in the inner stream, and how much of it is filled.
    private long _start;
    private int _filled;

    /// <summary>Writes through <paramref name="inner"/> (seekable, best unbuffered), whose position 0 is at <paramref name="fileOffset"/> in its file.</summary>
    public FolioAlignedWriteStream(Stream inner, long fileOffset = 0)
    {
        _inner = inner;
        _fileOffset = fileOffset;
        _start = inner.Position;
    }

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => Math.Max(_inner.Length, _start + _filled);

    public override long Position
    {
        get => _start + _filled;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            WriteBuffered();
            _start = value;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => Position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void SetLength(long value)
    {
        WriteBuffered();
        _inner.SetLength(value);
    }

    public override void Flush()
    {
        WriteBuffered();
        _inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int take = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == _buffer.Length)
            {
                WriteToBoundary();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            WriteBuffered();
        }

        base.Dispose(disposing);
    }

    /// <summary>Writes the full buffer up to the last folio boundary in it and keeps the rest at its front.</summary>
    private void WriteToBoundary()
    {
        long fileStart = _fileOffset + _start;
        int length = (int)(((fileStart + _filled) & ~(FolioBytes - 1)) - fileStart);
        WriteOut(length);
        _buffer.AsSpan(length, _filled - length).CopyTo(_buffer);
        _start += length;
        _filled -= length;
    }

    private void WriteBuffered()
    {
        if (_filled > 0)
        {
            WriteOut(_filled);
            _start += _filled;
            _filled = 0;
        }
    }

    private void WriteOut(int length)
    {
        _inner.Position = _start;
        _inner.Write(_buffer, 0, length);
    }
}
