using System;
using System.IO;

namespace Overlay.Benchmarks;

/// <summary>
/// The files every benchmark reads, created once in one directory and read once so they sit in
/// the page cache. <c>benchmarks/python/mmap_bench.py</c> times Python on the same files.
/// </summary>
internal static class BenchFiles
{
    /// <summary>The environment variable naming the directory (set by <c>benchmarks/run.sh</c>).</summary>
    public const string DirectoryVariable = "OVERLAY_BENCH_DIR";

    /// <summary>256 MiB of pseudo-random bytes (seed 42).</summary>
    public const long DataBytes = 256L * 1024 * 1024;

    /// <summary>Every line is 79 printable bytes and a <c>\n</c>.</summary>
    public const int LineBytes = 80;

    /// <summary>As many 80-byte lines as fit in 256 MiB.</summary>
    public const long LineCount = DataBytes / LineBytes;

    /// <summary>The small file of the open/map/close benchmark.</summary>
    public const int SmallBytes = 4096;

    /// <summary>
    /// The needle of the find benchmark: 8 bytes, absent from <c>data.bin</c> (checked in setup).
    /// The same bytes are in mmap_bench.py.
    /// </summary>
    public static readonly byte[] Needle = [0x4F, 0x56, 0x45, 0x52, 0x4C, 0x41, 0x59, 0x21];

    private static string? s_directory;

    public static string Directory => s_directory ?? throw new InvalidOperationException("BenchFiles.Prepare was not called.");

    public static string DataPath => Path.Combine(Directory, "data.bin");

    public static string LinesPath => Path.Combine(Directory, "lines.txt");

    public static string SmallPath => Path.Combine(Directory, "small.bin");

    /// <summary>
    /// Uses the directory named by <see cref="DirectoryVariable"/>, or a new temporary one; creates
    /// the files that are missing or of the wrong size; reads them all once.
    /// </summary>
    /// <returns>True when the directory was created here (the caller deletes it at the end).</returns>
    public static bool Prepare()
    {
        string? configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        bool created = string.IsNullOrEmpty(configured);
        s_directory = created
            ? System.IO.Directory.CreateTempSubdirectory("overlay-bench-").FullName
            : configured!;
        System.IO.Directory.CreateDirectory(s_directory);

        EnsureFile(DataPath, DataBytes, WriteData);
        EnsureFile(LinesPath, LineCount * LineBytes, WriteLines);
        EnsureFile(SmallPath, SmallBytes, WriteSmall);

        foreach (string path in new[] { DataPath, LinesPath, SmallPath })
        {
            Warm(path);
        }

        return created;
    }

    private static void EnsureFile(string path, long size, Action<Stream> write)
    {
        if (File.Exists(path) && new FileInfo(path).Length == size)
        {
            return;
        }

        Console.WriteLine($"// creating {path} ({size} bytes)");
        string partial = path + ".partial";
        using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            write(stream);
        }

        File.Move(partial, path, overwrite: true);
    }

    private static void WriteData(Stream stream)
    {
        var random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        for (long written = 0; written < DataBytes; written += chunk.Length)
        {
            random.NextBytes(chunk);
            stream.Write(chunk);
        }
    }

    private static void WriteLines(Stream stream)
    {
        // "0000000042 " then letters, 79 bytes, then '\n': text, like a log or a CSV.
        byte[] line = new byte[LineBytes];
        for (long i = 0; i < LineCount; i++)
        {
            long number = i;
            for (int d = 9; d >= 0; d--)
            {
                line[d] = (byte)('0' + (number % 10));
                number /= 10;
            }

            line[10] = (byte)' ';
            for (int c = 11; c < LineBytes - 1; c++)
            {
                line[c] = (byte)('a' + ((i + c) % 26));
            }

            line[LineBytes - 1] = (byte)'\n';
            stream.Write(line);
        }
    }

    private static void WriteSmall(Stream stream)
    {
        byte[] bytes = new byte[SmallBytes];
        new Random(7).NextBytes(bytes);
        stream.Write(bytes);
    }

    private static void Warm(string path)
    {
        byte[] buffer = new byte[1 << 20];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        while (stream.Read(buffer) > 0)
        {
        }
    }
}
