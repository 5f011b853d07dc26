using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LightningDB;
using Overlay.Indexes;

namespace Overlay.Benchmarks;

/// <summary>
/// The sorted index's point hits side by side in time: <c>Overlay.Benchmarks --sorted-side-by-side [rounds]</c>.
/// The same 1M keys as <see cref="IndexBenchmarks"/> (<c>ulong</c> → 32-byte value), the library's
/// lookups (format version 3, a version 2 file of the same keys, the pin, <c>ContainsKey</c>) beside
/// LMDB, the raw-pointer hash and hand-written searches over the same file (what the search costs
/// without the library's checks: the tree, radix tables in process memory with several value
/// prefetches, the file's own table, and the position known beforehand, the floor of two misses). As <see cref="HashSideBySide"/>: every round
/// looks up the next 10,000 keys of a seeded random order in each way once, in a rotating order,
/// each way with its own order, so that none finds another's lines in the cache.
/// </summary>
internal static unsafe class SortedSideBySide
{
    private const int Keys = 1_000_000;
    private const int Batch = 10_000;

    public static int Run(string[] args)
    {
        int rounds = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int given) ? (given + 99) / 100 * 100 : 500;
        string directory = Path.Combine(Path.GetTempPath(), $"overlay-sorted-side-by-side-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        int seed = 42;
        LookupKeys Hits() => new(Keys, Batch, IndexBenchmarks.KeyOf, seed++);
        try
        {
            string path = Path.Combine(directory, "sorted.idx");
            using (var builder = new SortedIndexBuilder<ulong, Value32.ReadOnlyView>(runDirectory: directory))
            {
                for (long i = 0; i < Keys; i++)
                {
                    builder.Add(IndexBenchmarks.KeyOf(i), new Value32 { A = i });
                }

                builder.Build(path);
            }

            using var sorted = MappedSortedIndex<ulong, Value32.ReadOnlyView>.Open(path);
            string path2 = Path.Combine(directory, "sorted2.idx");
            using (var builder = new SortedIndexBuilder<ulong, Value32.ReadOnlyView>(runDirectory: directory) { FormatVersion = 2 })
            {
                for (long i = 0; i < Keys; i++)
                {
                    builder.Add(IndexBenchmarks.KeyOf(i), new Value32 { A = i });
                }

                builder.Build(path2);
            }

            using var sorted2 = MappedSortedIndex<ulong, Value32.ReadOnlyView>.Open(path2);
            using var hand = new HandTree(path);
            using RawHash raw = RawHash.Build(Path.Combine(directory, "raw.bin"), Keys);
            (LightningEnvironment lmdb, LightningDatabase lmdbDatabase) = IndexBenchmarks.BuildLmdb(Path.Combine(directory, "lmdb"));
            using LightningTransaction lmdbRead = lmdb.BeginTransaction(TransactionBeginFlags.ReadOnly);

            LookupKeys rawKeys = Hits(), lmdbKeys = Hits(), tryKeys = Hits(), containsKeys = Hits(), handKeys = Hits(), handNoPrefetchKeys = Hits();
            LookupKeys radixKeys = Hits(), radix16Keys = Hits(), oracleKeys = Hits(), pinnedKeys = Hits(), version2Keys = Hits(), fixed4Keys = Hits(), fixed6Keys = Hits(), fileRadixKeys = Hits();
            var positions = new Dictionary<ulong, int>(Keys);
            for (int i = 0; i < Keys; i++)
            {
                positions[hand.KeyAt(i)] = i;
            }

            int[] oracle = new int[Keys];
            // The oracle's positions, in the order oracleKeys hands its keys out (one whole pass).
            for (int b = 0; b < Keys / Batch; b++)
            {
                ReadOnlySpan<ulong> batch = oracleKeys.Next();
                for (int i = 0; i < Batch; i++)
                {
                    oracle[(b * Batch) + i] = positions[batch[i]];
                }
            }

            oracleKeys.Restart();
            int oracleAt = 0;
            hand.BuildRadix(17);
            hand.UseFileRadix();
            var hand16 = new HandTree(path);
            hand16.BuildRadix(16);

            (string Name, Func<long> Run, bool Hits)[] ways =
            [
                ("raw-pointer hash, hits", () =>
                {
                    long sum = 0;
                    foreach (ulong key in rawKeys.Next())
                    {
                        sum += raw.Get(key);
                    }

                    return sum;
                }, true),
                ("LMDB Get, hits", () =>
                {
                    long sum = 0;
                    Span<byte> k = stackalloc byte[8];
                    foreach (ulong key in lmdbKeys.Next())
                    {
                        BitConverter.TryWriteBytes(k, key);
                        var (code, _, value) = lmdbRead.Get(lmdbDatabase, k);
                        if (code == MDBResultCode.Success)
                        {
                            sum += BitConverter.ToInt64(value.AsSpan());
                        }
                    }

                    return sum;
                }, true),
                ("Overlay sorted TryGetValue, hits", () =>
                {
                    long sum = 0;
                    foreach (ulong key in tryKeys.Next())
                    {
                        if (sorted.TryGetValue(key, out Value32.ReadOnlyView value))
                        {
                            sum += value.A;
                        }
                    }

                    return sum;
                }, true),
                ("Overlay sorted TryGetValue, version 2", () =>
                {
                    long sum = 0;
                    foreach (ulong key in version2Keys.Next())
                    {
                        if (sorted2.TryGetValue(key, out Value32.ReadOnlyView value))
                        {
                            sum += value.A;
                        }
                    }

                    return sum;
                }, true),
                ("Overlay sorted PinReadOnly, hits", () => sorted.PinReadOnly<Value32.ReadOnlyRef, LookupKeys, long>(pinnedKeys, static (pin, keys) =>
                {
                    long sum = 0;
                    foreach (ulong key in keys.Next())
                    {
                        if (pin.TryGetValue(key, out Value32.ReadOnlyRef value))
                        {
                            sum += value.A;
                        }
                    }

                    return sum;
                }), true),
                ("Overlay sorted ContainsKey, hits", () =>
                {
                    long found = 0;
                    foreach (ulong key in containsKeys.Next())
                    {
                        found += sorted.ContainsKey(key) ? 1 : 0;
                    }

                    return found;
                }, false),
                ("hand tree, value prefetch", () =>
                {
                    long sum = 0;
                    foreach (ulong key in handKeys.Next())
                    {
                        sum += hand.Get(key, prefetch: true);
                    }

                    return sum;
                }, true),
                ("hand tree, no prefetch", () =>
                {
                    long sum = 0;
                    foreach (ulong key in handNoPrefetchKeys.Next())
                    {
                        sum += hand.Get(key, prefetch: false);
                    }

                    return sum;
                }, true),
                ("hand radix 2^17, 8 value lines", () =>
                {
                    long sum = 0;
                    foreach (ulong key in radixKeys.Next())
                    {
                        sum += hand.GetRadix(key);
                    }

                    return sum;
                }, true),
                ("hand radix 2^17, prefetch lo..hi", () =>
                {
                    long sum = 0;
                    foreach (ulong key in radix16Keys.Next())
                    {
                        sum += hand.GetRadix(key, exact: true);
                    }

                    return sum;
                }, true),
                ("hand radix, the file's table, 5 lines", () =>
                {
                    long sum = 0;
                    foreach (ulong key in fileRadixKeys.Next())
                    {
                        sum += hand.GetFileRadix(key);
                    }

                    return sum;
                }, true),
                ("hand radix 2^17, 4 fixed lines", () =>
                {
                    long sum = 0;
                    foreach (ulong key in fixed4Keys.Next())
                    {
                        sum += hand.GetRadix(key, fixedLines: 4);
                    }

                    return sum;
                }, true),
                ("hand radix 2^17, 6 fixed lines", () =>
                {
                    long sum = 0;
                    foreach (ulong key in fixed6Keys.Next())
                    {
                        sum += hand.GetRadix(key, fixedLines: 6);
                    }

                    return sum;
                }, true),
                ("oracle: position known, key + value", () =>
                {
                    long sum = 0;
                    foreach (ulong key in oracleKeys.Next())
                    {
                        sum += hand.GetAt(oracle[oracleAt], key);
                        oracleAt = oracleAt + 1 == Keys ? 0 : oracleAt + 1;
                    }

                    return sum;
                }, true),
            ];

            Console.WriteLine($"# {Environment.ProcessorCount} cores, {rounds} rounds of {Batch:N0} lookups per way, each way once per round in rotating order; load {InterleavedRounds.Load()}");
            Measure(ways, rounds);
            Console.WriteLine($"# load at the end {InterleavedRounds.Load()}; radix fallbacks 2^17: {hand.Fallbacks}, 2^16: {hand16.Fallbacks}");
            hand16.Dispose();
            lmdbRead.Dispose();
            lmdbDatabase.Dispose();
            lmdb.Dispose();
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Measure((string Name, Func<long> Run, bool Hits)[] ways, int rounds)
    {
        (double[][] times, long[] sums) = InterleavedRounds.Run(Array.ConvertAll(ways, w => w.Run), rounds, Batch);
        for (int k = 0; k < ways.Length; k++)
        {
            if (ways[k].Hits && sums[k] != sums[0])
            {
                Console.WriteLine($"  !! {ways[k].Name} found something else ({sums[k]} against {sums[0]}).");
            }
        }

        double baseline = InterleavedRounds.Median(times[0]);
        double lmdb = InterleavedRounds.Median(times[1]);
        for (int k = 0; k < ways.Length; k++)
        {
            double median = InterleavedRounds.Median(times[k]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {ways[k].Name,-40} ns per lookup: min {times[k][0],6:F1}  p25 {times[k][rounds / 4],6:F1}  median {median,6:F1}  ({median / baseline:F2}x raw, LMDB/this {lmdb / median:F2}x)"));
        }
    }

    /// <summary>The sorted index file searched by hand through a raw pointer (docs/indexes.md's format version 2), no checks.</summary>
    private sealed class HandTree : IDisposable
    {
        private readonly MemoryMappedFile _file;
        private readonly MemoryMappedViewAccessor _view;
        private readonly byte* _keys;
        private readonly byte* _values;
        private readonly byte* _tree;
        private readonly long _count;
        private readonly long[] _levels;
        private uint[] _radix = [];
        private int _shift;
        public long Fallbacks;

        public HandTree(string path)
        {
            _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            byte* header = pointer + _view.PointerOffset;
            var bytes = new ReadOnlySpan<byte>(header, 128);
            _count = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[40..]);
            _keys = header + (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[64..]);
            _values = header + (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[72..]);
            _tree = header + (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[80..]);
            var sizes = new List<long>();
            long blocks = (_count + 15) / 16;
            for (long n = blocks; n > 1;)
            {
                n = (n + 16) / 17;
                sizes.Add(n);
            }

            _levels = new long[sizes.Count * 2];
            long start = 0;
            for (int i = 0; i < sizes.Count; i++)
            {
                int fromBottom = sizes.Count - 1 - i;
                _levels[2 * i] = start;
                _levels[(2 * i) + 1] = fromBottom == 0 ? blocks : sizes[fromBottom - 1];
                start += sizes[fromBottom];
            }
        }

        public ulong KeyAt(long i) => ((ulong*)_keys)[i];

        // Version 3's own table, read from the file (header 96: min, 104: shift, 108: buckets; the table ends the file).
        private uint* _fileRadix;
        private ulong _fileMin;
        private int _fileShift;
        private ulong _fileBuckets;

        public void UseFileRadix()
        {
            byte* header = _keys - 128;
            _fileMin = *(ulong*)(header + 96);
            _fileShift = *(int*)(header + 104);
            _fileBuckets = *(uint*)(header + 108);
            // After the tree (header 80: its offset, 56: its nodes of 16 eight-byte keys), on a 64-byte boundary.
            long tree = *(long*)(header + 80) + (*(long*)(header + 56) * 128);
            _fileRadix = (uint*)(header + ((tree + 63) & ~63L));
        }

        /// <summary>The library's radix lookup by hand over the file's table: 5 fixed value lines.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long GetFileRadix(ulong key)
        {
            ulong bucket = (key - _fileMin) >> _fileShift;
            long at;
            if (bucket < _fileBuckets)
            {
                uint lo = _fileRadix[bucket], hi = _fileRadix[bucket + 1];
                if (hi - lo <= 16)
                {
                    long s = Math.Min(lo, _count - 16);
                    byte* first = (byte*)((nuint)(_values + (s * 32)) & ~(nuint)63);
                    Sse.Prefetch0(first);
                    Sse.Prefetch0(first + 64);
                    Sse.Prefetch0(first + 128);
                    Sse.Prefetch0(first + 192);
                    Sse.Prefetch0(first + 256);
                    at = s + Count(_keys + (s * 8), key, orEqual: false);
                    return at < _count && ((ulong*)_keys)[at] == key ? *(long*)(_values + (at * 32)) : 0;
                }
            }

            at = Lower(key, true);
            return at < _count && ((ulong*)_keys)[at] == key ? *(long*)(_values + (at * 32)) : 0;
        }

        public void BuildRadix(int bits)
        {
            _shift = 64 - bits;
            _radix = GC.AllocateArray<uint>((1 << bits) + 1, pinned: true);
            long at = 0;
            for (long p = 0; p <= 1L << bits; p++)
            {
                ulong first = p == 1L << bits ? ulong.MaxValue : (ulong)p << _shift;
                while (at < _count && KeyAt(at) < first)
                {
                    at++;
                }

                _radix[p] = (uint)(p == 1L << bits ? _count : at);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long GetAt(int position, ulong key) => ((ulong*)_keys)[position] == key ? *(long*)(_values + (position * 32L)) : 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long GetRadix(ulong key, bool exact = false, int fixedLines = 0)
        {
            ulong p = key >> _shift;
            uint[] radix = _radix;
            uint lo = radix[p];
            uint hi = radix[p + 1];
            long at;
            if (hi - lo <= 16)
            {
                long s = Math.Min(lo, _count - 16);
                if (fixedLines > 0)
                {
                    byte* first = (byte*)((nuint)(_values + (lo * 32L)) & ~(nuint)63);
                    Sse.Prefetch0(first);
                    Sse.Prefetch0(first + 64);
                    Sse.Prefetch0(first + 128);
                    Sse.Prefetch0(first + 192);
                    if (fixedLines > 4)
                    {
                        Sse.Prefetch0(first + 256);
                        Sse.Prefetch0(first + 320);
                    }
                }
                else if (exact)
                {
                    byte* end = _values + (hi * 32L) - 1;
                    for (byte* line = _values + (lo * 32L); line <= end; line += 64)
                    {
                        Sse.Prefetch0(line);
                    }

                    Sse.Prefetch0(end);
                }
                else
                {
                    Prefetch(_values + (s * 32));
                }

                at = s + Count(_keys + (s * 8), key, orEqual: false);
            }
            else
            {
                Fallbacks++;
                at = Lower(key, true);
            }

            return at < _count && ((ulong*)_keys)[at] == key ? *(long*)(_values + (at * 32)) : 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Get(ulong key, bool prefetch)
        {
            long at = Lower(key, prefetch);
            return at < _count && ((ulong*)_keys)[at] == key ? *(long*)(_values + (at * 32)) : 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private long Lower(ulong key, bool prefetch)
        {
            long[] levels = _levels;
            long node = 0;
            for (int l = 0; l + 1 < levels.Length; l += 2)
            {
                long child = (node * 17) + Count(_tree + ((levels[l] + node) * 128), key, orEqual: true);
                long last = levels[l + 1] - 1;
                node = child < last ? child : last;
            }

            long lo = node * 16;
            if (prefetch)
            {
                Prefetch(_values + (lo * 32));
            }

            return lo + Count(_keys + (lo * 8), key, orEqual: false);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Prefetch(byte* values)
        {
            for (int i = 0; i < 512; i += 64)
            {
                Sse.Prefetch0(values + i);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Count(byte* keys, ulong key, bool orEqual)
        {
            Vector256<ulong> wanted = Vector256.Create(key);
            uint mask = M(keys, wanted, orEqual) | (M(keys + 32, wanted, orEqual) << 4) | (M(keys + 64, wanted, orEqual) << 8) | (M(keys + 96, wanted, orEqual) << 12);
            return BitOperations.PopCount(mask);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static uint M(byte* keys, Vector256<ulong> wanted, bool orEqual)
        {
            Vector256<ulong> stored = Unsafe.ReadUnaligned<Vector256<ulong>>(keys);
            return (orEqual ? Vector256.LessThanOrEqual(stored, wanted) : Vector256.LessThan(stored, wanted)).ExtractMostSignificantBits();
        }

        public void Dispose()
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file.Dispose();
        }
    }
}
