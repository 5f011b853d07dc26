using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Safety;

/// <summary>
/// Two processes increment one <c>[Atomic] long</c> in a file each maps with
/// <see cref="MapFlags.Shared"/> (the <c>atomic-increment</c> probe): no increment is lost.
/// </summary>
public class AtomicTwoProcessTests
{
    private const int Processes = 2;
    private const long EachIncrements = 1_000_000;
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task TwoProcessesIncrementingOneSharedCounterLoseNoIncrement()
    {
        using TempPath file = new TempPath().WithBytes(16);   // SharedCounter: Count at 0, Arrived at 8
        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        Assert.True(File.Exists(probe), $"{probe} is missing: the test project references Overlay.Probes so that it is built next to the tests.");

        var children = new Process[Processes];
        for (int i = 0; i < Processes; i++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(probe);
            start.ArgumentList.Add("atomic-increment");
            start.ArgumentList.Add(file.Path);
            start.ArgumentList.Add(EachIncrements.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add(Processes.ToString(CultureInfo.InvariantCulture));
            start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
            children[i] = Process.Start(start)!;
        }

        try
        {
            foreach (Process child in children)
            {
                Task<string> output = child.StandardOutput.ReadToEndAsync();
                Task<string> error = child.StandardError.ReadToEndAsync();
                using var timeout = new System.Threading.CancellationTokenSource(s_timeout);
                await child.WaitForExitAsync(timeout.Token);
                string stdout = await output;
                string stderr = await error;
                string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                Assert.True(child.ExitCode == 0 && lines is [_, "ok"] && lines[0].StartsWith("interleaved ", StringComparison.Ordinal), $"a child exited {child.ExitCode}\nstdout:\n{stdout}\nstderr:\n{stderr}");

                // The loops overlapped: without that, an exact total would not show that no update was lost.
                long interleaved = long.Parse(lines[0]["interleaved ".Length..], CultureInfo.InvariantCulture);
                Assert.True(interleaved > 0, $"a child never saw the other's increments between its own: the processes did not overlap ({stdout})");
            }
        }
        finally
        {
            foreach (Process child in children)
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                }

                child.Dispose();
            }
        }

        // Reopened: the total is exact, and both processes passed the barrier before counting.
        using MemoryMap map = MemoryMap.Open(file.Path, MapAccess.Read);
        Assert.Equal(Processes * EachIncrements, map.ReadAt<long>(0));
        Assert.Equal(Processes, map.ReadAt<long>(8));
        Assert.Equal(Processes * EachIncrements, BinaryPrimitives.ReadInt64LittleEndian(File.ReadAllBytes(file.Path)));
    }
}
