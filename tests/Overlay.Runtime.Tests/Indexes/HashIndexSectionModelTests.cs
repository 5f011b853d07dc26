using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Overlay.Formats;
using Overlay.Indexes;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Indexes;

using CounterIndex = MappedHashIndex<ulong, Counter.View>;
using ReadOnlyCounterIndex = MappedHashIndex<ulong, Counter.ReadOnlyView>;

/// <summary>
/// The model-based test of <see cref="HashIndexModelTests"/> for an index hosted in a container
/// section: seeded sequences of changes, lookups, commits, reopens of the container (read-write and
/// read-only), growth of another section beside it (so the index's section is not the last extent
/// and relocates to grow, and the map moves under it), compaction of the file, and abandoned
/// sessions (the container closed without a commit, as a killed writer leaves it) reopened with
/// recovery, each step checked against a <see cref="Dictionary{TKey, TValue}"/>. A failure names
/// its seed; <c>Replay</c> reruns one.
/// </summary>
public class HashIndexSectionModelTests(ITestOutputHelper output)
{
    private const int Sequences = 2_000;
    private const ulong Tag = 0x5845_444E_4943_4553UL;

    [Fact]
    public void RandomSequencesAgreeWithADictionary()
    {
        var clock = Stopwatch.StartNew();
        string directory = ModelDirectory();
        long operations = 0;
        long relocations = 0;
        int sequences = Conformance.RandomRounds.OnThisBackEnd(Sequences);
        System.Threading.Tasks.Parallel.For(0, sequences, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 2 }, sequence =>
        {
            int seed = unchecked((sequence * 104_729) + 11);
            (long ops, long moved) = Run(seed, directory);
            System.Threading.Interlocked.Add(ref operations, ops);
            System.Threading.Interlocked.Add(ref relocations, moved);
        });

        output.WriteLine($"{sequences} sequences (seeds sequence * 104729 + 11), {operations} operations, {relocations} relocations of the index's section, in {clock.ElapsedMilliseconds} ms");

        // The test is about relocation beside another growing section: it must have happened.
        Assert.True(relocations > sequences / 10, $"only {relocations} relocations");
    }

    /// <summary>Reruns one sequence: paste the seed a failure printed.</summary>
    [Theory]
    [InlineData(11)]
    [InlineData(104_740)]
    public void Replay(int seed) => Run(seed, ModelDirectory());

    private static string ModelDirectory() => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    private static (long Operations, long Relocations) Run(int seed, string directory)
    {
        string path = Path.Combine(directory, $"overlay-section-model-{seed}-{Guid.NewGuid():N}.ovc");
        string step = "create";
        try
        {
            return RunCore(seed, path, ref step);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"section model sequence with seed {seed} failed at step '{step}': {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (long Operations, long Relocations) RunCore(int seed, string path, ref string step)
    {
        var random = new Random(seed);
        ulong keySpace = (ulong)random.Next(4, random.Next(2) == 0 ? 64 : 1500);
        ulong stride = random.Next(3) == 0 ? 1UL << random.Next(1, 40) : 1;
        var options = new HashIndexOptions
        {
            InitialCapacity = random.Next(4) == 0 ? random.Next(0, 300) : 0,
            MaxLoadPercent = random.Next(HashIndexOptions.MinimumLoadPercent, HashIndexOptions.MaximumLoadPercent + 1),
            Seed = (ulong)random.NextInt64(),
            TailSlots = random.Next(3) == 0 ? random.Next(1, 4) : random.Next(1, 300),
        };
        int length = random.Next(1, 60);

        // model: what the index holds; committed: what the last commit made durable; changed:
        // keys changed since (a crash may leave them absent, old, or with any value written since).
        var model = new Dictionary<ulong, long>();
        var committed = new Dictionary<ulong, long>();
        var changed = new HashSet<ulong>();
        bool cleared = false;
        long relocations = 0;
        MappedContainer container = MappedContainer.Create(path, Tag);
        RawSection other = container.AddRaw("other");
        CounterIndex index = container.AddHashIndex<ulong, Counter.View>("counters", options);
        container.Commit();
        long offset = Offset(container);
        try
        {
            for (int i = 0; i < length; i++)
            {
                ulong key = (ulong)random.NextInt64((long)keySpace) * stride;
                int op = random.Next(100);
                step = $"{i}: op {op} key {key}";
                if (op < 28)
                {
                    long value = random.NextInt64();
                    Assert.Equal(!model.ContainsKey(key), index.Set(key, new Counter { Value = value }));
                    model[key] = value;
                    changed.Add(key);
                }
                else if (op < 40)
                {
                    Counter.View view = index.GetOrAdd(key, out bool added);
                    Assert.Equal(!model.ContainsKey(key), added);
                    long before = model.GetValueOrDefault(key);
                    Assert.Equal(before, view.Value);
                    view.Value = before + 3;
                    model[key] = before + 3;
                    changed.Add(key);
                }
                else if (op < 52)
                {
                    Assert.Equal(model.Remove(key), index.Remove(key));
                    changed.Add(key);
                }
                else if (op < 70)
                {
                    bool found = index.TryGetValue(key, out Counter.View view);
                    Assert.Equal(model.TryGetValue(key, out long expected), found);
                    if (found)
                    {
                        Assert.Equal(expected, view.Value);
                    }
                }
                else if (op < 78)
                {
                    // Another section grows beside the index: the map grows (and may move), and the
                    // index's section stops being the last extent, so its next growth relocates.
                    byte[] bytes = new byte[random.Next(1, 20_000)];
                    random.NextBytes(bytes);
                    other.Append(bytes);
                }
                else if (op < 80)
                {
                    index.Clear();
                    model.Clear();
                    cleared = true;
                }
                else if (op < 85)
                {
                    if (random.Next(2) == 0)
                    {
                        container.Commit();
                    }
                    else
                    {
                        index.Flush(); // the container's commit
                    }

                    Committed(model, committed, changed, ref cleared);
                }
                else if (op < 88)
                {
                    // Close and reopen: the index's Dispose folds it into the entry; the container's commit makes that durable.
                    index.Dispose();
                    container.Commit();
                    Committed(model, committed, changed, ref cleared);
                    container.Dispose();
                    container = MappedContainer.Open(path, Tag);
                    other = container.Raw("other");
                    index = container.HashIndex<ulong, Counter.View>("counters");
                    Assert.Equal(model.Count, System.Linq.Enumerable.Single(container.Sections, s => s.Name == "counters").Count);
                }
                else if (op < 90)
                {
                    container.Commit();
                    Committed(model, committed, changed, ref cleared);
                    container.Dispose();
                    using (MappedContainer reader = MappedContainer.Open(path, Tag, MapAccess.Read))
                    {
                        using ReadOnlyCounterIndex readOnly = reader.HashIndex<ulong, Counter.ReadOnlyView>("counters");
                        Assert.True(readOnly.IsReadOnly);
                        AssertSame(model, readOnly);
                    }

                    container = MappedContainer.Open(path, Tag);
                    other = container.Raw("other");
                    index = container.HashIndex<ulong, Counter.View>("counters");
                }
                else if (op < 92)
                {
                    // Abandoned: the container closes without a commit, as a killed writer's would.
                    container.Dispose();
                    Assert.Throws<ObjectDisposedException>(() => index.Count);
                    container = MappedContainer.Open(path, Tag);
                    other = container.Raw("other");
                    try
                    {
                        index = container.HashIndex<ulong, Counter.View>("counters");
                    }
                    catch (InvalidDataException error)
                    {
                        // The index changed since the commit and was not flushed: the plain open
                        // refuses it (nothing changed: it must not), and recovery rebuilds it.
                        Assert.True(changed.Count > 0 || cleared, $"an index nothing changed since its commit was refused: {error.Message}");
                        Assert.Contains("recover: true", error.Message);
                        index = container.HashIndex<ulong, Counter.View>("counters", recover: true);
                    }

                    // Either way every committed entry not changed since is there, with its value.
                    model = Contents(index);
                    foreach ((ulong k, long v) in committed)
                    {
                        if (!changed.Contains(k) && !cleared)
                        {
                            Assert.True(model.TryGetValue(k, out long found), $"committed key {k} lost by an abandoned session");
                            Assert.Equal(v, found);
                        }
                    }

                    Assert.Equal(model.Count, index.Count);
                    container.Commit();
                    Committed(model, committed, changed, ref cleared);
                }
                else if (op < 94)
                {
                    // Compaction of the closed file copies the section's bytes to a new place.
                    index.Dispose();
                    container.Commit();
                    Committed(model, committed, changed, ref cleared);
                    container.Dispose();
                    MappedContainer.Compact(path, Tag);
                    container = MappedContainer.Open(path, Tag);
                    other = container.Raw("other");
                    index = container.HashIndex<ulong, Counter.View>("counters");
                    AssertSame(model, index);
                }
                else
                {
                    AssertSame(model, index);
                }

                long now = Offset(container);
                relocations += now != offset ? 1 : 0;
                offset = now;
                Assert.Equal(model.Count, index.Count);
            }

            step = "final comparison";
            AssertSame(model, index);
            return (length, relocations);
        }
        finally
        {
            index.Dispose();
            container.Dispose();
        }
    }

    private static long Offset(MappedContainer container) => System.Linq.Enumerable.Single(container.Sections, s => s.Name == "counters").Offset;

    private static void Committed(Dictionary<ulong, long> model, Dictionary<ulong, long> committed, HashSet<ulong> changed, ref bool cleared)
    {
        committed.Clear();
        foreach ((ulong k, long v) in model)
        {
            committed[k] = v;
        }

        changed.Clear();
        cleared = false;
    }

    private static Dictionary<ulong, long> Contents(CounterIndex index)
    {
        var contents = new Dictionary<ulong, long>();
        foreach (KeyValuePair<ulong, Counter.View> entry in index)
        {
            Assert.True(contents.TryAdd(entry.Key, entry.Value.Value), $"key {entry.Key} enumerated twice");
        }

        return contents;
    }

    private static void AssertSame(Dictionary<ulong, long> model, CounterIndex index)
    {
        Assert.Equal(model.Count, index.Count);
        Assert.Equal(model, Contents(index));
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
