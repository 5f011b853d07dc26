using System;
using System.Collections.Generic;
using System.Numerics;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// Lookups of every primitive key type against a model. Lookups take one of three paths (an
/// 8-byte key as a value, other primitives as their bytes, layouts through a stack buffer) while
/// inserts always take the bytes: the two must agree on every hash and every compare, so each
/// key inserted is found by <c>TryGetValue</c> and <c>ContainsKey</c>, and each probe absent from
/// the model misses, before and after a read-only reopen.
/// </summary>
public class HashIndexKeyTypeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(300)]
    [InlineData(5000)]
    public void EveryPrimitiveKeyType(int count)
    {
        IntegerKeys.ForEach(default(EveryType), count);
        CheckGuids(count);
    }

    private static void Check<T>(int wanted, int seed)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var random = new Random(seed);
        var keys = new HashSet<T> { T.MinValue, T.MaxValue, T.Zero };
        while (keys.Count < Math.Max(wanted, 3))
        {
            keys.Add(IntegerKeys.RandomValue<T>(random));
        }

        CheckKeys(keys, () => IntegerKeys.RandomValue<T>(random), $"{typeof(T).Name} (seed {seed})");
    }

    private static void CheckGuids(int wanted)
    {
        var random = new Random(wanted);
        Guid Next()
        {
            Span<byte> bytes = stackalloc byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        var keys = new HashSet<Guid> { Guid.Empty, Guid.AllBitsSet };
        while (keys.Count < Math.Max(wanted, 2))
        {
            keys.Add(Next());
        }

        CheckKeys(keys, Next, $"Guid (seed {wanted})");
    }

    private static void CheckKeys<T>(HashSet<T> keys, Func<T> probe, string what)
        where T : struct
    {
        using var temp = new TempPath();
        var values = new Dictionary<T, long>();
        using (var index = MappedHashIndex<T, Counter.View>.Create(temp.Path))
        {
            long next = 1;
            foreach (T key in keys)
            {
                index.GetOrAdd(key).Value = next;
                values[key] = next++;
            }

            AssertLookups(index, values, probe, what + ", written");
            index.Flush();
        }

        using var readOnly = MappedHashIndex<T, Counter.ReadOnlyView>.Open(temp.Path, MapAccess.Read);
        Assert.Equal(keys.Count, readOnly.Count);
        foreach ((T key, long value) in values)
        {
            Assert.True(readOnly.TryGetValue(key, out Counter.ReadOnlyView view), $"{what}, reopened: {key} missing");
            Assert.Equal(value, view.Value);
        }
    }

    private static void AssertLookups<T>(MappedHashIndex<T, Counter.View> index, Dictionary<T, long> values, Func<T> probe, string what)
        where T : struct
    {
        Assert.Equal(values.Count, index.Count);
        foreach ((T key, long value) in values)
        {
            Assert.True(index.TryGetValue(key, out Counter.View view), $"{what}: {key} missing");
            Assert.Equal(value, view.Value);
            Assert.True(index.ContainsKey(key), $"{what}: ContainsKey({key})");
        }

        for (int i = 0; i < 2000; i++)
        {
            T key = probe();
            bool present = values.ContainsKey(key);
            Assert.True(present == index.ContainsKey(key), $"{what}: probe {key}");
            Assert.True(present == index.TryGetValue(key, out _), $"{what}: TryGetValue probe {key}");
        }
    }

    private readonly struct EveryType : IntegerKeys.ICheck
    {
        public void Run<T>(int wanted, int seed)
            where T : struct, IBinaryInteger<T>, IMinMaxValue<T> => Check<T>(wanted, seed);
    }
}
