using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Overlay.Benchmarks;

/// <summary>A column with GB/s, M lines/s or ns/byte computed from the mean and <see cref="PerOpAttribute"/>.</summary>
internal sealed class PerOpColumn : IColumn
{
    public string Id => nameof(PerOpColumn);

    public string ColumnName => "Throughput";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Work per time from the mean: GB/s (10^9 bytes/s), M lines/s, or ns per byte read";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        PerOpAttribute? perOp = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<PerOpAttribute>();
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (perOp is null || meanNs is not > 0)
        {
            return "-";
        }

        double count = perOp.Count;
        if (count == 0)
        {
            object? bytes = benchmarkCase.Parameters["Bytes"];
            count = System.Convert.ToDouble(bytes, CultureInfo.InvariantCulture);
        }

        double mean = meanNs.Value;
        return perOp.Kind switch
        {
            PerOpKind.GigabytesPerSecond => (count / mean).ToString("F2", CultureInfo.InvariantCulture) + " GB/s",
            PerOpKind.MillionLinesPerSecond => (count / mean * 1000).ToString("F1", CultureInfo.InvariantCulture) + " M lines/s",
            _ => (mean / count).ToString("F3", CultureInfo.InvariantCulture) + " ns/byte",
        };
    }

    public override string ToString() => ColumnName;
}
