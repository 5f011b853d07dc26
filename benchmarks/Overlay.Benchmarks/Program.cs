using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Overlay.Benchmarks;

/// <summary>
/// Runs the benchmarks of issues #2 and #3 with a short in-process job (see docs/benchmarks.md).
/// Arguments are BenchmarkDotNet's (<c>--filter</c>, <c>--artifacts</c>, ...).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        bool ownDirectory = BenchFiles.Prepare();
        try
        {
            if (args is ["--wine-side-by-side", ..])
            {
                // Not BenchmarkDotNet: the Wine comparisons, interleaved (WineSideBySide).
                return WineSideBySide.Run(args);
            }

            if (args is ["--hash-side-by-side", ..])
            {
                // Not BenchmarkDotNet: hash functions 1 and 2 of the hash index, interleaved (HashSideBySide).
                return HashSideBySide.Run(args);
            }

            if (args is ["--sorted-side-by-side", ..])
            {
                // Not BenchmarkDotNet: the sorted index's point hits beside LMDB and hand searches, interleaved (SortedSideBySide).
                return SortedSideBySide.Run(args);
            }

            if (args is ["--hash-cliff", ..])
            {
                // Not BenchmarkDotNet: issue 10's cliff at 50M keys, counted and timed side by side (HashCliff).
                return HashCliff.Run(args);
            }

            if (args is ["--hash-placement", ..])
            {
                // Not a timing: how evenly hash functions 1 and 2 place structured key sets (HashPlacement).
                return HashPlacement.Run(args);
            }

            // In-process: no generated project to build per run (the machine has 2 shared cores).
            // 3 warm-up and 5 measured iterations of about 250 ms each keep the whole suite short.
            // OVERLAY_BENCH_TIMEOUT_MINUTES lifts the in-process toolchain's 5-minute limit per
            // benchmark case, which a single 50M-key build (benchmarks/index-50m.sh) can pass.
            BenchmarkDotNet.Toolchains.IToolchain toolchain = Environment.GetEnvironmentVariable("OVERLAY_BENCH_TIMEOUT_MINUTES") is { } minutes
                ? new InProcessEmitToolchain(TimeSpan.FromMinutes(int.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture)), logOutput: true)
                : InProcessEmitToolchain.Instance;
            Job job = Job.Default
                .WithToolchain(toolchain)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(5)
                .WithIterationTime(TimeInterval.FromMilliseconds(250))
                .WithId("Short");

            IConfig config = ManualConfig.Create(DefaultConfig.Instance)
                .AddJob(job)
                .AddColumn(new PerOpColumn())
                .AddColumn(new PerRecordColumn())
                .AddExporter(JsonExporter.Brief)
                .HideColumns(Column.Error, Column.Job, Column.RatioSD)
                .WithOptions(ConfigOptions.StopOnFirstError);

            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
            foreach (var summary in summaries)
            {
                if (summary.HasCriticalValidationErrors || summary.Reports.Length == 0 || !summary.Reports.All(r => r.Success))
                {
                    return 1;
                }
            }

            return 0;
        }
        finally
        {
            if (ownDirectory)
            {
                Directory.Delete(BenchFiles.Directory, recursive: true);
            }
        }
    }
}
