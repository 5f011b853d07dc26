using System.Collections.Generic;
using Overlay.Indexes;
using Overlay.Tests.Indexes;
using Xunit;

namespace Overlay.Tests.Durability;

/// <summary>
/// The hash index's crash promise, checked on a file a crash left (docs/indexes.md, "Durability"):
/// opened with <c>recover: true</c>, it holds every entry of the last completed <c>Flush</c> that
/// was not changed after it, with its value; a changed key is absent or holds its flushed value, a
/// value written after the flush, or zero (a <c>GetOrAdd</c> adds a key with a zeroed value first);
/// and no other key.
/// </summary>
internal static class HashIndexCrashCheck
{
    /// <summary>Opens <paramref name="path"/> with recovery and checks it; returns the count it opened with.</summary>
    public static long Check(string path, IReadOnlyDictionary<ulong, ulong> flushed, IReadOnlyDictionary<ulong, HashSet<ulong>> touched, string context)
    {
        using var index = MappedHashIndex<ulong, TwinValue>.Open(path, recover: true);
        return Check(index, flushed, touched, context);
    }

    /// <summary>Checks an index opened with recovery (a file's, or a container section's).</summary>
    public static long Check(MappedHashIndex<ulong, TwinValue> index, IReadOnlyDictionary<ulong, ulong> flushed, IReadOnlyDictionary<ulong, HashSet<ulong>> touched, string context)
    {
        var seen = new HashSet<ulong>();
        foreach (KeyValuePair<ulong, TwinValue> entry in index)
        {
            ulong key = entry.Key;
            ulong value = entry.Value.Map.ReadAt<ulong>(entry.Value.Offset);
            Assert.True(seen.Add(key), $"{context}: key {key} is in the index twice");
            if (touched.TryGetValue(key, out HashSet<ulong>? written))
            {
                bool allowed = value == 0 || written.Contains(value) || (flushed.TryGetValue(key, out ulong before) && before == value);
                Assert.True(allowed, $"{context}: key {key}, changed after the flush, holds 0x{value:X16}, a value it never had");
            }
            else
            {
                Assert.True(flushed.TryGetValue(key, out ulong expected), $"{context}: key {key} is present but was neither flushed nor changed since");
                Assert.True(expected == value, $"{context}: key {key} holds 0x{value:X16}, but 0x{expected:X16} was flushed and never changed");
            }
        }

        foreach ((ulong key, ulong value) in flushed)
        {
            Assert.True(touched.ContainsKey(key) || seen.Contains(key), $"{context}: key {key} (0x{value:X16}) was flushed, never changed since, and is lost");
        }

        Assert.Equal(seen.Count, index.Count);
        return index.Count;
    }
}
