// samples/RecordLog shows an append-only sensor log on a RecordFile that keeps every flushed
// reading through a crash: a writer appends readings (timestamp, sensor id, value, flags) and
// flushes in batches; a second process follows the log read-only and sees the readings appear as
// the count grows; --crash-demo kills a writer with SIGKILL mid-batch and shows that the reopened
// log holds every reading the writer reported flushed, byte for byte, and nothing half-written.
//
//   dotnet run --project samples/RecordLog                    write 5 batches while a second process follows
//   dotnet run --project samples/RecordLog -- --crash-demo    kill a writer mid-batch, reopen, check
//   ... -- --write PATH [--batches N] [--batch-size K] [--pause-us U]    the writer alone (N = 0: until killed)
//   ... -- --follow PATH [--until N] [--timeout-s S]                     the follower alone
//
// What the flush promises (and what a crash of the process or of the machine keeps): docs/durability.md.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Overlay.Samples.RecordLog;

string Option(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

int Number(string name, int fallback) =>
    int.TryParse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0
        ? n
        : throw new ArgumentException($"{name} takes a number ≥ 0");

// How to start this program again as a child: through `dotnet RecordLog.dll` or the apphost.
string host = Environment.ProcessPath ?? "dotnet";
(string File, string[] Arguments) self = Path.GetFileNameWithoutExtension(host) == "dotnet"
    ? (host, [typeof(SensorLog).Assembly.Location])
    : (host, []);

if (Array.IndexOf(args, "--write") is int write and >= 0 && write + 1 < args.Length)
{
    SensorLog.Write(args[write + 1], Number("--batches", 5), Number("--batch-size", 20), TimeSpan.FromMicroseconds(Number("--pause-us", 0)), Console.Out);
    return 0;
}

if (Array.IndexOf(args, "--follow") is int follow and >= 0 && follow + 1 < args.Length)
{
    return SensorLog.Follow(args[follow + 1], Number("--until", 100), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(Number("--timeout-s", 60)), Console.Out);
}

string directory = Path.Combine(Path.GetTempPath(), $"overlay-recordlog-{Environment.ProcessId}");
Directory.CreateDirectory(directory);
string path = Path.Combine(directory, "sensors.log");
try
{
    if (Array.IndexOf(args, "--crash-demo") >= 0)
    {
        return await SensorLog.CrashDemoAsync(path, self, batchSize: Number("--batch-size", 50), seed: Number("--seed", Environment.TickCount & 0xFFFF), Console.Out);
    }

    // The demo: this process writes 5 batches of 20 readings, flushing after each, while a second
    // process follows the log read-only and prints what it sees.
    const int Batches = 5;
    const int BatchSize = 20;
    var start = new ProcessStartInfo(self.File) { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (string argument in self.Arguments)
    {
        start.ArgumentList.Add(argument);
    }

    foreach (string argument in new[] { "--follow", path, "--until", (Batches * BatchSize).ToString(CultureInfo.InvariantCulture), "--timeout-s", "60" })
    {
        start.ArgumentList.Add(argument);
    }

    using Process follower = Process.Start(start) ?? throw new InvalidOperationException("the follower did not start");
    Task<string> followed = follower.StandardOutput.ReadToEndAsync();
    Console.WriteLine($"writer: this process; follower: pid {follower.Id}, read-only; log: {path}");
    var flushes = new StringWriter();
    long count = SensorLog.Write(path, Batches, BatchSize, TimeSpan.FromMilliseconds(3), flushes);
    Console.Write(flushes.ToString().Replace("flushed ", "writer: flushed ", StringComparison.Ordinal));
    await follower.WaitForExitAsync();
    Console.Write(await followed);
    Console.WriteLine($"done: {count} readings written, follower exit code {follower.ExitCode}");
    return follower.ExitCode;
}
finally
{
    Directory.Delete(directory, recursive: true);
}
