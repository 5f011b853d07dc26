using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace Overlay.Tests.Layouts;

/// <summary>
/// Creates files one after another while a second thread spins on each name in turn and opens it
/// the moment it exists (a follower polling for a new file): what the reader could not open, or
/// found wrong, is returned; no temporary file may be left beside any name.
/// </summary>
internal static class CreateRace
{
    /// <param name="files">How many files to create.</param>
    /// <param name="create">Creates (and closes) the file at a path.</param>
    /// <param name="open">Opens the file at a path as a reader; returns a problem, or null.</param>
    public static List<string> Run(int files, Action<string> create, Func<string, string?> open)
    {
        var paths = new List<TempPath>();
        for (int i = 0; i < files; i++)
        {
            paths.Add(new TempPath());
        }

        try
        {
            var failures = new List<string>();
            using var done = new ManualResetEventSlim();
            var reader = new Thread(() =>
            {
                foreach (TempPath path in paths)
                {
                    while (!File.Exists(path.Path))
                    {
                        if (done.IsSet && !File.Exists(path.Path))
                        {
                            failures.Add($"{path.Path} never appeared");
                            return;
                        }
                    }

                    try
                    {
                        if (open(path.Path) is { } problem)
                        {
                            failures.Add($"{path.Path}: {problem}");
                        }
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException)
                    {
                        failures.Add($"{path.Path}: {e.GetType().Name}: {e.Message}");
                    }
                }
            });
            reader.Start();
            try
            {
                foreach (TempPath path in paths)
                {
                    create(path.Path);
                }
            }
            finally
            {
                done.Set();
                reader.Join();
            }

            foreach (TempPath path in paths)
            {
                if (Directory.GetFiles(Path.GetDirectoryName(path.Path)!, Path.GetFileName(path.Path) + ".create-*").Length > 0)
                {
                    failures.Add($"{path.Path}: a temporary file was left beside it");
                }
            }

            return failures;
        }
        finally
        {
            foreach (TempPath path in paths)
            {
                path.Dispose();
            }
        }
    }
}
