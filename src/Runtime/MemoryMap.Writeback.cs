namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// Starts writing back the file's dirty pages under <paramref name="length"/> bytes of the map
    /// from <paramref name="offset"/>, without waiting (<see cref="Platform.IMapPlatform.TryStartWriteback"/>):
    /// for an owner writing a large new file (an upgrade's) a chunk at a time, so that its final
    /// <see cref="Flush()"/> waits for the last chunks only. A hint: false, with nothing done, where
    /// the OS cannot or the map holds no file handle.
    /// </summary>
    internal bool TryStartWriteback(long offset, long length)
    {
        if (_closed || _anonymous || _name is not null || _file == Platform.PlatformFile.None || length <= 0)
        {
            return false;
        }

        EnsureRange(offset, length);
        return _platform.TryStartWriteback(_file, _offset + offset, length);
    }
}
