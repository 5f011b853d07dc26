using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Overlay.Benchmarks;

/// <summary>What <see cref="PerRecordColumn"/> shows for a benchmark.</summary>
internal enum PerRecordKind
{
    /// <summary>Nanoseconds per access: the mean over the benchmark's <c>Records</c> parameter.</summary>
    NanosecondsPerAccess,

    /// <summary>Millions of records per second, over <see cref="PerRecordAttribute.Count"/> records.</summary>
    MillionRecordsPerSecond,
}

/// <summary>How <see cref="PerRecordColumn"/> turns the mean of a benchmark into a per-record figure.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PerRecordAttribute(PerRecordKind kind, double count = 0) : Attribute
{
    public PerRecordKind Kind { get; } = kind;

    /// <summary>The records per invocation; 0 means the value of the <c>Records</c> parameter.</summary>
    public double Count { get; } = count;
}

/// <summary>A column with ns per access or M records/s, for the layout and record-file benchmarks (issue #3).</summary>
internal sealed class PerRecordColumn : IColumn
{
    public string Id => nameof(PerRecordColumn);

    public string ColumnName => "PerRecord";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "From the mean: ns per record accessed, or millions of records appended per second";

    public bool IsAvailable(Summary summary) =>
        summary.BenchmarksCases.Any(c => c.Descriptor.WorkloadMethod.GetCustomAttribute<PerRecordAttribute>() is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        PerRecordAttribute? perRecord = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<PerRecordAttribute>();
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (perRecord is null || meanNs is not > 0)
        {
            return "-";
        }

        double count = perRecord.Count;
        if (count == 0)
        {
            count = Convert.ToDouble(benchmarkCase.Parameters["Records"], CultureInfo.InvariantCulture);
        }

        double mean = meanNs.Value;
        return perRecord.Kind == PerRecordKind.MillionRecordsPerSecond
            ? (count / mean * 1000).ToString("F1", CultureInfo.InvariantCulture) + " M rec/s"
            : (mean / count).ToString("F3", CultureInfo.InvariantCulture) + " ns/access";
    }

    public override string ToString() => ColumnName;
}
