using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.MemoryMappedFiles;

namespace Overlay.Benchmarks;

/// <summary>
/// A diagnostic baseline: Overlay's own hash index file, probed by hand through a raw pointer, as
/// the library's lookup does it but with no checks and no view (the hash and format as
/// docs/indexes.md gives them: the hash function the header records, 1 (seeded wyhash-style
/// <c>Hash8</c>) or 2 (its 128-bit product folded once, then its high half into its low), 48-byte slots of hash, key, value, linear
/// probing). Beside <see cref="RawHash"/> it separates what the table costs (its
/// hash and probe lengths) from what the library's code path costs.
/// </summary>
public sealed unsafe class HandProbe : IDisposable
{
    private const ulong S0 = 0xa0761d6478bd642f;
    private const ulong S1 = 0xe7037ed1a0b428db;
    private const int HeaderSize = 128;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _slots;
    private readonly ulong _preparedSeed;
    private readonly ulong _mask;
    private readonly long _limit;
    private readonly long _stride;

    // Function 2 (header offset 40): the product folded, then f ^ (f >> 32); function 1 mixes it again.
    private readonly bool _fold;

    public HandProbe(string path)
    {
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        byte* header = pointer + _view.PointerOffset;
        var bytes = new ReadOnlySpan<byte>(header, HeaderSize);
        uint function = BinaryPrimitives.ReadUInt32LittleEndian(bytes[40..]);
        if (function is not (1 or 2))
        {
            throw new InvalidDataException($"{path}: hash function {function}, expected 1 or 2.");
        }

        _fold = function == 2;
        ulong seed = BinaryPrimitives.ReadUInt64LittleEndian(bytes[48..]);
        _stride = BinaryPrimitives.ReadUInt32LittleEndian(bytes[56..]);
        long tail = BinaryPrimitives.ReadUInt32LittleEndian(bytes[60..]);
        long capacity = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[64..]);
        _preparedSeed = seed ^ Mix(seed ^ S0, S1);
        _mask = (ulong)capacity - 1;
        _limit = capacity + tail;
        _slots = header + HeaderSize;
    }

    public long Get(ulong key)
    {
        ulong a = ((key << 32) | (key >> 32)) ^ S1;
        ulong high = Math.BigMul(a, key ^ _preparedSeed, out ulong low);
        ulong folded = high ^ low;
        ulong hash = _fold ? folded ^ (folded >> 32) : Mix(low ^ S0 ^ 8, high ^ S1);
        hash = hash > 1 ? hash : hash + 2;
        long i = (long)(hash & _mask);
        byte* p = _slots + (i * _stride);
        while (true)
        {
            ulong stored = *(ulong*)p;
            if (stored == hash)
            {
                if (*(ulong*)(p + 8) == key)
                {
                    return *(long*)(p + 16);
                }
            }
            else if (stored == 0)
            {
                return 0;
            }

            if (++i >= _limit)
            {
                return 0;
            }

            p += _stride;
        }
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private static ulong Mix(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return high ^ low;
    }
}
