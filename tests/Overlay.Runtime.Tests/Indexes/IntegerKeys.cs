using System;
using System.Numerics;

namespace Overlay.Tests.Indexes;

/// <summary>The eleven integer key types an index takes, for tests that check each of them, and random keys of any.</summary>
internal static class IntegerKeys
{
    /// <summary>A check generic over the key type: a generic method, so one object runs it for every type.</summary>
    internal interface ICheck
    {
        void Run<T>(int wanted, int seed)
            where T : struct, IBinaryInteger<T>, IMinMaxValue<T>;
    }

    /// <summary>Runs <paramref name="check"/> for every integer key type with <paramref name="count"/> keys (the 8-bit types with at most 200) and <paramref name="count"/> as the seed.</summary>
    public static void ForEach<TCheck>(TCheck check, int count)
        where TCheck : ICheck
    {
        check.Run<byte>(Math.Min(count, 200), count);
        check.Run<sbyte>(Math.Min(count, 200), count);
        check.Run<short>(count, count);
        check.Run<ushort>(count, count);
        check.Run<char>(count, count);
        check.Run<int>(count, count);
        check.Run<uint>(count, count);
        check.Run<long>(count, count);
        check.Run<ulong>(count, count);
        check.Run<Int128>(count, count);
        check.Run<UInt128>(count, count);
    }

    /// <summary>A key of any value of <typeparamref name="T"/>, negative ones included.</summary>
    public static T RandomValue<T>(Random random)
        where T : struct, IBinaryInteger<T>
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return T.ReadLittleEndian(bytes[..System.Runtime.CompilerServices.Unsafe.SizeOf<T>()], isUnsigned: !IsSigned<T>());
    }

    private static bool IsSigned<T>()
        where T : struct, IBinaryInteger<T> => T.IsNegative(T.Zero - T.One);
}
