using System;
using System.Diagnostics;
using System.IO;

namespace Overlay.Tests.Layouts;

/// <summary>
/// Another process taking a Linux open-file-description lock on one byte of a file, through
/// Python's <c>fcntl</c> (independent of the runtime's own interop): to prove that a record file's
/// locks are seen, and honoured, across processes.
/// </summary>
internal sealed class PythonFileLock : IDisposable
{
    // struct flock on 64-bit Linux: short l_type, short l_whence, (pad), long l_start, long l_len, int l_pid, (pad).
    private const string Script = """
        import fcntl, os, struct, sys
        path, mode, offset, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
        fd = os.open(path, os.O_RDWR if kind == "exclusive" else os.O_RDONLY)
        request = struct.pack("hhqqi4x", fcntl.F_WRLCK if kind == "exclusive" else fcntl.F_RDLCK, 0, offset, 1, 0)
        assert len(request) == 32
        try:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, request)
        except OSError:
            print("taken", flush=True)
            sys.exit(0)
        print("held", flush=True)
        if mode == "hold":
            sys.stdin.read()
        """;

    private readonly Process _process;

    private PythonFileLock(Process process) => _process = process;

    /// <summary>Whether another process could take the lock now (it releases it at once).</summary>
    public static bool CanLock(string path, long offset, bool exclusive)
    {
        using Process process = Start(path, "probe", offset, exclusive);
        string answer = ReadAnswer(process);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException("python3 did not exit.");
        }

        return answer == "held";
    }

    /// <summary>Takes the lock in another process and holds it until disposed.</summary>
    /// <exception cref="InvalidOperationException">The lock was taken already.</exception>
    public static PythonFileLock Hold(string path, long offset, bool exclusive)
    {
        Process process = Start(path, "hold", offset, exclusive);
        string answer = ReadAnswer(process);
        if (answer != "held")
        {
            process.Dispose();
            throw new InvalidOperationException($"python3 could not take the lock: {answer}");
        }

        return new PythonFileLock(process);
    }

    /// <summary>Ends the holding process (which releases its lock) and waits for it.</summary>
    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static Process Start(string path, string mode, long offset, bool exclusive)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-c", Script, path, mode, offset.ToString(System.Globalization.CultureInfo.InvariantCulture), exclusive ? "exclusive" : "shared" })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
    }

    private static string ReadAnswer(Process process)
    {
        string? line = process.StandardOutput.ReadLine();
        if (line is null)
        {
            process.WaitForExit();
            throw new IOException($"python3 exited with {process.ExitCode} without answering: {process.StandardError.ReadToEnd()}");
        }

        return line.Trim();
    }
}
