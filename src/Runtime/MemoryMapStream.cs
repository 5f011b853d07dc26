using System;
using System.IO;

namespace Overlay;

/// <summary>
/// A <see cref="Stream"/> over a <see cref="MemoryMap"/>, sharing its cursor; returned by
/// <see cref="MemoryMap.AsStream"/>. Disposing the stream leaves the map open.
/// </summary>
internal sealed class MemoryMapStream : Stream
{
    private MemoryMap? _map;

    public MemoryMapStream(MemoryMap map) => _map = map;

    public override bool CanRead => _map is { IsClosed: false, CanRead: true };

    public override bool CanSeek => _map is { IsClosed: false };

    public override bool CanWrite => _map is { IsClosed: false, CanWrite: true };

    public override long Length => Map.Length;

    public override long Position
    {
        get => Map.Position;
        set => Map.Position = value;
    }

    private MemoryMap Map
    {
        get
        {
            ObjectDisposedException.ThrowIf(_map is null, this);
            return _map;
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Map.Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer) => Map.Read(buffer);

    public override int ReadByte()
    {
        MemoryMap map = Map;
        return map.Position < map.Length ? map.ReadByte() : -1;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        MemoryMap map = Map;
        if (!map.CanWrite)
        {
            throw new NotSupportedException("The memory map is read-only.");
        }

        // A stream that cannot grow refuses the write whole, as UnmanagedMemoryStream does.
        if (map.Position > map.Length || map.Length - map.Position < buffer.Length)
        {
            throw new NotSupportedException($"The write reaches past the end of the map (length {map.Length}); call SetLength or MemoryMap.Resize first.");
        }

        map.Write(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override long Seek(long offset, SeekOrigin origin)
    {
        MemoryMap map = Map;
        try
        {
            return map.Seek(offset, origin);
        }
        catch (ArgumentOutOfRangeException exception) when (exception.ParamName == "offset")
        {
            // Stream's contract: seeking before the start is an IOException.
            throw new IOException(exception.Message, exception);
        }
    }

    public override void SetLength(long value) => Map.Resize(value);

    public override void Flush()
    {
        MemoryMap map = Map;
        if (map.CanWrite)
        {
            map.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        _map = null;
        base.Dispose(disposing);
    }
}
