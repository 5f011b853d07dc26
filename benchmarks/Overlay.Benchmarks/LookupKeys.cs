using System;

namespace Overlay.Benchmarks;

/// <summary>
/// The keys a lookup benchmark asks for: every one of <c>count</c> keys once, in a seeded random
/// order, handed out a batch at a time and starting over at the end.
/// </summary>
/// <remarks>
/// Why not one small batch asked again on every invocation (as these benchmarks did until
/// 2026-12-05): 1,000 keys repeated keep their cache lines in L1/L2 and let the branch predictor
/// learn each search's path, so a lookup measured a few nanoseconds that no real workload of random
/// keys over 1M entries sees (the issue's own baselines, 27 M/s for a raw-pointer hash, are of the
/// cold kind). A pass over all the keys costs a cache miss per lookup, as real lookups do.
/// </remarks>
public sealed class LookupKeys
{
    private readonly ulong[] _keys;
    private readonly int _batch;
    private int _next;

    /// <summary>Shuffles <paramref name="count"/> keys made by <paramref name="keyOf"/> from 0 to count − 1.</summary>
    public LookupKeys(int count, int batch, Func<long, ulong> keyOf, int seed)
    {
        if (count < batch || count % batch != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A whole number of batches of {batch} is needed.");
        }

        _keys = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            _keys[i] = keyOf(i);
        }

        new Random(seed).Shuffle(_keys);
        _batch = batch;
    }

    /// <summary>Starts the keys over from the first batch.</summary>
    public void Restart() => _next = 0;

    /// <summary>The next batch of keys.</summary>
    public ReadOnlySpan<ulong> Next()
    {
        int at = _next;
        _next = at + _batch == _keys.Length ? 0 : at + _batch;
        return _keys.AsSpan(at, _batch);
    }
}
