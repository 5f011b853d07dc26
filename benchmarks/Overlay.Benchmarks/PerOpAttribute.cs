using System;

namespace Overlay.Benchmarks;

/// <summary>What the throughput column shows for a benchmark.</summary>
internal enum PerOpKind
{
    /// <summary>Bytes per nanosecond, that is GB/s (10^9 bytes per second).</summary>
    GigabytesPerSecond,

    /// <summary>Millions of lines per second.</summary>
    MillionLinesPerSecond,

    /// <summary>Nanoseconds per byte read.</summary>
    NanosecondsPerByte,
}

/// <summary>
/// How much work one invocation does, for <see cref="PerOpColumn"/>: a fixed count, or (count 0)
/// the value of the benchmark's <c>Bytes</c> parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PerOpAttribute(PerOpKind kind, double count = 0) : Attribute
{
    public PerOpKind Kind { get; } = kind;

    public double Count { get; } = count;
}
