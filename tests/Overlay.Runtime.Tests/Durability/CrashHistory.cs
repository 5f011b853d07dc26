using System;
using System.Collections.Generic;

namespace Overlay.Tests.Durability;

/// <summary>
/// What a writer's file looked like over time: its bytes after every step (a state), how many
/// records were counted and how many a completed <c>Flush</c> had promised in each state, and
/// which pages each <c>msync</c> made durable. A power loss at state t leaves on the disk, for
/// each page, the page as it was at some state between the last msync that covered it and t (the
/// kernel may write a dirty page back at any moment, and its last write-back wins): crash images
/// are built from exactly that.
/// </summary>
internal sealed class CrashHistory
{
    public const int PageSize = 4096;
    public const int SectorSize = 512;

    private readonly List<byte[]> _states = [];
    private readonly List<long> _live = [];
    private readonly List<long> _flushed = [];
    private readonly List<(int State, long From, long To)> _syncs = [];
    private readonly List<int> _firstCounted = [];

    public int Count => _states.Count;

    public byte[] State(int index) => _states[index];

    public long Live(int index) => _live[index];

    public long Flushed(int index) => _flushed[index];

    /// <summary>Adds a state; the first one is taken as fully on the disk (the file was created and flushed).</summary>
    public void Capture(ReadOnlySpan<byte> bytes, long live, long flushed)
    {
        _states.Add(bytes.ToArray());
        _live.Add(live);
        _flushed.Add(flushed);
        while (_firstCounted.Count < live)
        {
            _firstCounted.Add(_states.Count - 1);
        }
    }

    /// <summary>Adds the state an msync of <c>[offset, offset + length)</c> just made durable.</summary>
    public void CaptureSync(ReadOnlySpan<byte> bytes, long offset, long length, long live, long flushed)
    {
        Capture(bytes, live, flushed);
        long from = offset / PageSize;
        long to = (offset + length + PageSize - 1) / PageSize;
        _syncs.Add((_states.Count - 1, from, to));
    }

    /// <summary>The first state in which record <paramref name="record"/> was counted (it was fully written then: the writer stores records before it counts them).</summary>
    public int FirstCounted(long record) => record < _firstCounted.Count ? _firstCounted[(int)record] : int.MaxValue;

    /// <summary>The oldest state page <paramref name="page"/> may be in after a crash at <paramref name="t"/>: the last msync at or before t that covered it.</summary>
    public int Settled(long page, int t)
    {
        int settled = 0;
        foreach ((int state, long from, long to) in _syncs)
        {
            if (state <= t && page >= from && page < to)
            {
                settled = Math.Max(settled, state);
            }
        }

        return settled;
    }

    /// <summary>The file's length is durable as of the last msync at or before <paramref name="t"/>.</summary>
    public int LengthSettled(int t)
    {
        int settled = 0;
        foreach ((int state, _, _) in _syncs)
        {
            if (state <= t)
            {
                settled = Math.Max(settled, state);
            }
        }

        return settled;
    }

    /// <summary>The 8 bytes at <paramref name="offset"/> in state <paramref name="state"/>; zeros past its end (a file grown later reads zeros there).</summary>
    public ulong Word(int state, long offset)
    {
        byte[] bytes = _states[state];
        if (offset + 8 > bytes.Length)
        {
            return 0;
        }

        return BitConverter.ToUInt64(bytes, (int)offset);
    }

    /// <summary>The byte at <paramref name="offset"/> in state <paramref name="state"/>, zero past its end.</summary>
    public byte Byte(int state, long offset)
    {
        byte[] bytes = _states[state];
        return offset < bytes.Length ? bytes[offset] : (byte)0;
    }
}
