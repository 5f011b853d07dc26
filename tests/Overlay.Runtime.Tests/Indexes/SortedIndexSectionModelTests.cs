using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Indexes;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Indexes;

using ReadOnlySorted = MappedSortedIndex<long, Counter.ReadOnlyView>;
using Sorted = MappedSortedIndex<long, Counter.View>;

/// <summary>
/// The model-based test of a sorted index hosted in a container section: seeded sequences of
/// builds and rebuilds (additions and removals through small memory budgets, so through many runs),
/// values written in place, growth of a records section beside it (the map moves under the open
/// index), commits, abandoned sessions (closed without a commit: the last commit's index must come
/// back), reopens read-write and read-only, and compactions, each step checked against a
/// <see cref="SortedDictionary{TKey, TValue}"/>: every key in order, point lookups, ranges,
/// <c>First</c>/<c>Last</c>. A failure names its seed; <c>Replay</c> reruns one.
/// </summary>
public class SortedIndexSectionModelTests(ITestOutputHelper output)
{
    private const int Sequences = 300;
    private const ulong Tag = 0x5452_4F53_4E4F_4343UL;
    private const string Name = "by-key";

    [Fact]
    public void RandomSequencesAgreeWithASortedDictionary()
    {
        long rebuilds = 0;
        System.Threading.Tasks.Parallel.For(0, Sequences, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 2 }, sequence =>
        {
            System.Threading.Interlocked.Add(ref rebuilds, Run(unchecked((sequence * 7_919) + 3)));
        });

        output.WriteLine($"{Sequences} sequences (seeds sequence * 7919 + 3), {rebuilds} builds and rebuilds");
        Assert.True(rebuilds > Sequences * 2, $"only {rebuilds} rebuilds");
    }

    /// <summary>Reruns one sequence: paste the seed a failure printed.</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(7_922)]
    public void Replay(int seed) => Run(seed);

    private static long Run(int seed)
    {
        string directory = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string path = Path.Combine(directory, $"overlay-sorted-section-model-{seed}-{Guid.NewGuid():N}.ovc");
        string step = "create";
        try
        {
            return RunCore(seed, path, directory, ref step);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"sorted section model sequence with seed {seed} failed at step '{step}': {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long RunCore(int seed, string path, string directory, ref string step)
    {
        var random = new Random(seed);
        long space = random.Next(1, random.Next(2) == 0 ? 40 : 3_000);
        var current = new SortedDictionary<long, long>();
        SortedDictionary<long, long>? committed = null; // null: no committed index yet
        long builds = 0;
        MappedContainer container = MappedContainer.Create(path, Tag);
        try
        {
            RecordSection<Counter.View> beside = container.AddRecords<Counter.View>("beside");
            container.Commit();
            Sorted? index = null;
            for (int op = 0, ops = random.Next(4, 16); op < ops; op++)
            {
                int what = random.Next(10);
                step = $"op {op}: {what}";
                if (what <= 3)
                {
                    using var builder = new SortedIndexBuilder<long, Counter.View>(memoryBudget: 17 * random.Next(1, 200), runDirectory: directory);
                    for (int i = random.Next(0, 400); i > 0; i--)
                    {
                        long key = random.NextInt64(-space, space + 1);
                        if (index is not null && random.Next(4) == 0)
                        {
                            builder.Remove(key);
                            current.Remove(key);
                        }
                        else
                        {
                            long value = random.NextInt64();
                            builder.Add(key, new Counter { Value = value });
                            current[key] = value;
                        }
                    }

                    if (index is null && !container.Contains(Name))
                    {
                        index = container.AddSortedIndex(Name, builder, Tag);
                    }
                    else
                    {
                        if (index is null || random.Next(2) == 0)
                        {
                            // Rebuild a section that is not open, or close it first: both paths.
                            index?.Dispose();
                            index = null;
                        }

                        Sorted? old = index;
                        index = container.RebuildSortedIndex(Name, builder, Tag);
                        if (old is not null)
                        {
                            Assert.Throws<ObjectDisposedException>(() => old.ContainsKey(0));
                        }
                    }

                    builds++;
                }
                else if (what == 4)
                {
                    // The records beside it grow: the file grows and the map may move under the index.
                    for (int i = random.Next(1, 3_000); i > 0; i--)
                    {
                        beside.Append(new Counter { Value = i });
                    }
                }
                else if (what == 5 && index is not null && current.Count > 0)
                {
                    // A value written in place, committed at once (an uncommitted one may or may not survive).
                    long key = current.Keys.ElementAt(random.Next(current.Count));
                    Assert.True(index.TryGetValue(key, out Counter.View view));
                    long value = random.NextInt64();
                    view.Value = value;
                    current[key] = value;
                    container.Commit();
                    committed = new SortedDictionary<long, long>(current);
                }
                else if (what == 6)
                {
                    container.Commit();
                    committed = container.Contains(Name) ? new SortedDictionary<long, long>(current) : null;
                }
                else
                {
                    // The session ends (with or without a commit), the file is maybe compacted, and it reopens.
                    bool commit = random.Next(2) == 0;
                    if (commit)
                    {
                        container.Commit();
                        committed = container.Contains(Name) ? new SortedDictionary<long, long>(current) : null;
                    }

                    index = null;
                    container.Dispose();
                    current = committed is null ? new SortedDictionary<long, long>() : new SortedDictionary<long, long>(committed);
                    if (random.Next(3) == 0)
                    {
                        step += " compact";
                        MappedContainer.Compact(path, Tag);
                    }

                    if (committed is not null && random.Next(2) == 0)
                    {
                        step += " read-only";
                        using MappedContainer reader = MappedContainer.Open(path, Tag, MapAccess.Read);
                        Assert.Throws<NotSupportedException>(() => reader.SortedIndex<long, Counter.View>(Name, tag: Tag));
                        using (ReadOnlySorted readOnly = reader.SortedIndex<long, Counter.ReadOnlyView>(Name, tag: Tag))
                        {
                            Check(readOnly, current, random, space);
                        }
                    }

                    container = MappedContainer.Open(path, Tag);
                    beside = container.Records<Counter.View>("beside");
                    Assert.Equal(committed is not null, container.Contains(Name));
                    if (committed is not null)
                    {
                        index = container.SortedIndex<long, Counter.View>(Name, tag: Tag);
                    }
                }

                step += " check";
                if (index is not null)
                {
                    CheckWritable(index, current, random, space);
                }
            }
        }
        finally
        {
            container.Dispose();
        }

        return builds;
    }

    private static void CheckWritable(Sorted index, SortedDictionary<long, long> model, Random random, long space)
    {
        Assert.Equal(model.Count, index.Count);
        var all = new List<KeyValuePair<long, long>>();
        foreach (KeyValuePair<long, Counter.View> entry in index)
        {
            all.Add(new(entry.Key, entry.Value.Value));
        }

        Assert.Equal(model, all);
        for (int probe = 0; probe < 30; probe++)
        {
            long key = random.NextInt64(-space - 2, space + 3);
            Assert.Equal(model.TryGetValue(key, out long expected), index.TryGetValue(key, out Counter.View view));
            if (model.ContainsKey(key))
            {
                Assert.Equal(expected, view.Value);
            }

            long to = key + random.Next(0, 60);
            var range = new List<long>();
            foreach (KeyValuePair<long, Counter.View> entry in index.Range(key, to))
            {
                range.Add(entry.Key);
            }

            Assert.Equal(model.Keys.Where(k => k >= key && k <= to), range);
        }

        if (model.Count == 0)
        {
            Assert.Throws<InvalidOperationException>(() => index.First());
            Assert.Throws<InvalidOperationException>(() => index.Last());
        }
        else
        {
            Assert.Equal(model.First().Key, index.First().Key);
            Assert.Equal(model.Last().Key, index.Last().Key);
            Assert.Equal(model.Last().Value, index.Last().Value.Value);
        }
    }

    private static void Check(ReadOnlySorted index, SortedDictionary<long, long> model, Random random, long space)
    {
        Assert.Equal(model.Count, index.Count);
        var all = new List<KeyValuePair<long, long>>();
        foreach (KeyValuePair<long, Counter.ReadOnlyView> entry in index)
        {
            all.Add(new(entry.Key, entry.Value.Value));
        }

        Assert.Equal(model, all);
        for (int probe = 0; probe < 30; probe++)
        {
            long key = random.NextInt64(-space - 2, space + 3);
            Assert.Equal(model.ContainsKey(key), index.ContainsKey(key));
            long to = key + random.Next(0, 60);
            Assert.Equal(model.Keys.Where(k => k >= key && k <= to), index.Range(key, to).ToKeys());
        }
    }
}
