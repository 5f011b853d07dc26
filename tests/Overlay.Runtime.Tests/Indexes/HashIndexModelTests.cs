using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Overlay.Indexes;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Indexes;

using CounterIndex = MappedHashIndex<ulong, Counter.View>;
using ReadOnlyCounterIndex = MappedHashIndex<ulong, Counter.ReadOnlyView>;

/// <summary>
/// Model-based tests: seeded random sequences of changes, lookups, growth, flushes, reopens and
/// read-only reopens, checked step by step against a <see cref="Dictionary{TKey, TValue}"/>. A
/// failure names its sequence's seed; <c>Replay</c> reruns one.
/// </summary>
public class HashIndexModelTests(ITestOutputHelper output)
{
    /// <summary>CI's share: at least 10,000 sequences (docs/indexes.md, "Tests").</summary>
    private const int Sequences = 10_000;

    [Fact]
    public void TenThousandRandomSequencesAgreeWithADictionary()
    {
        var clock = Stopwatch.StartNew();
        string directory = ModelDirectory();
        long operations = 0;

        // Two workers: each sequence waits on a few msyncs (create, the first change, flushes).
        System.Threading.Tasks.Parallel.For(0, Sequences, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 2 }, sequence =>
        {
            int seed = unchecked((sequence * 7919) + 17);
            System.Threading.Interlocked.Add(ref operations, Run(seed, directory));
        });

        output.WriteLine($"{Sequences} sequences, {operations} operations in {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>Reruns one sequence: paste the seed a failure printed.</summary>
    [Theory]
    [InlineData(17)]
    public void Replay(int seed) => Run(seed, ModelDirectory());

    /// <summary>Files on tmpfs where there is one: each sequence flushes several times, and the model checks logic, not disks.</summary>
    private static string ModelDirectory() => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    private static long Run(int seed, string directory)
    {
        string path = Path.Combine(directory, $"overlay-model-{seed}-{Guid.NewGuid():N}.idx");
        string step = "create";
        try
        {
            return RunCore(seed, path, ref step);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"model sequence with seed {seed} failed at step '{step}': {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long RunCore(int seed, string path, ref string step)
    {
        var random = new Random(seed);

        // Small key spaces and tables, and now and then a tiny tail, so that collisions, runs
        // that reach the end, and doublings happen in most sequences.
        ulong keySpace = (ulong)random.Next(4, random.Next(2) == 0 ? 64 : 2000);
        ulong stride = random.Next(3) == 0 ? 1UL << random.Next(1, 40) : 1;
        var options = new HashIndexOptions
        {
            InitialCapacity = random.Next(4) == 0 ? random.Next(0, 300) : 0,
            MaxLoadPercent = random.Next(HashIndexOptions.MinimumLoadPercent, HashIndexOptions.MaximumLoadPercent + 1),
            Seed = (ulong)random.NextInt64(),
            TailSlots = random.Next(3) == 0 ? random.Next(1, 4) : random.Next(1, 300),
        };
        int length = random.Next(1, 50);
        var model = new Dictionary<ulong, long>();
        CounterIndex index = CounterIndex.Create(path, options);
        try
        {
            for (int i = 0; i < length; i++)
            {
                ulong key = (ulong)random.NextInt64((long)keySpace) * stride;
                int op = random.Next(100);
                step = $"{i}: op {op} key {key}";
                if (op < 30)
                {
                    long value = random.NextInt64();
                    bool added = index.Set(key, new Counter { Value = value });
                    Assert.Equal(!model.ContainsKey(key), added);
                    model[key] = value;
                }
                else if (op < 45)
                {
                    Counter.View view = index.GetOrAdd(key, out bool added);
                    Assert.Equal(!model.ContainsKey(key), added);
                    long before = model.GetValueOrDefault(key);
                    Assert.Equal(before, view.Value);
                    view.Value = before + 3;
                    model[key] = before + 3;
                }
                else if (op < 60)
                {
                    Assert.Equal(model.Remove(key), index.Remove(key));
                }
                else if (op < 85)
                {
                    bool found = index.TryGetValue(key, out Counter.View view);
                    Assert.Equal(model.TryGetValue(key, out long expected), found);
                    if (found)
                    {
                        Assert.Equal(expected, view.Value);
                    }

                    Assert.Equal(found, index.ContainsKey(key));
                }
                else if (op < 88)
                {
                    index.Clear();
                    model.Clear();
                }
                else if (op < 90)
                {
                    index.Flush();
                }
                else if (op < 93)
                {
                    index.Dispose();
                    index = CounterIndex.Open(path);
                }
                else if (op < 95)
                {
                    index.Dispose();
                    using (ReadOnlyCounterIndex reader = ReadOnlyCounterIndex.Open(path, MapAccess.Read))
                    {
                        AssertSame(model, reader);
                    }

                    index = CounterIndex.Open(path);
                }
                else
                {
                    AssertSame(model, index);
                }

                Assert.Equal(model.Count, index.Count);
            }

            step = "final comparison";
            AssertSame(model, index);
            return length;
        }
        finally
        {
            index.Dispose();
        }
    }

    private static void AssertSame(Dictionary<ulong, long> model, CounterIndex index)
    {
        Assert.Equal(model.Count, index.Count);
        int seen = 0;
        foreach (KeyValuePair<ulong, Counter.View> entry in index)
        {
            Assert.True(model.TryGetValue(entry.Key, out long value), $"key {entry.Key} is in the index, not in the model");
            Assert.Equal(value, entry.Value.Value);
            seen++;
        }

        Assert.Equal(model.Count, seen);
        foreach ((ulong key, long value) in model)
        {
            Assert.True(index.TryGetValue(key, out Counter.View view), $"key {key} is in the model, not found in the index");
            Assert.Equal(value, view.Value);
        }
    }

    private static void AssertSame(Dictionary<ulong, long> model, ReadOnlyCounterIndex index)
    {
        Assert.Equal(model.Count, index.Count);
        int seen = 0;
        foreach (KeyValuePair<ulong, Counter.ReadOnlyView> entry in index)
        {
            Assert.Equal(model[entry.Key], entry.Value.Value);
            seen++;
        }

        Assert.Equal(model.Count, seen);
        foreach ((ulong key, long value) in model)
        {
            Assert.True(index.TryGetValue(key, out Counter.ReadOnlyView view), $"key {key} is in the model, not found in the read-only index");
            Assert.Equal(value, view.Value);
        }
    }
}
