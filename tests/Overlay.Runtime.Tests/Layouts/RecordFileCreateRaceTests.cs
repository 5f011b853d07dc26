using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;
using ReadOnlyFile = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;

/// <summary>
/// A reader that opens a record file as soon as its name appears (a log follower polling for it)
/// must find a whole file: <c>Create</c> gives the file its name only once its prefix is written.
/// Before that, a follower could map the new file between its creation and its first write and
/// be refused with "magic 0" (the RecordLog sample's follower did, about one run in three under
/// load).
/// </summary>
public class RecordFileCreateRaceTests
{
    private const ulong Magic = 0x4352_4541_5445_5231; // any constant

    [Fact]
    public void AReaderThatOpensTheFileAsSoonAsItsNameAppearsAlwaysFindsItWhole()
    {
        const int Files = 60;
        var paths = new List<TempPath>();
        for (int i = 0; i < Files; i++)
        {
            paths.Add(new TempPath());
        }

        try
        {
            var failures = new List<string>();
            using var done = new ManualResetEventSlim();
            var reader = new Thread(() =>
            {
                // Spins on each name in turn and opens it the moment it exists.
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
                        using ReadOnlyFile file = ReadOnlyFile.Open(path.Path, Magic, MapAccess.Read);
                        if (file.Count != 0)
                        {
                            failures.Add($"{path.Path}: count {file.Count}");
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
                    using WritableFile file = WritableFile.Create(path.Path, Magic);
                }
            }
            finally
            {
                done.Set();
                reader.Join();
            }

            Assert.True(failures.Count == 0, string.Join("\n", failures));
            foreach (TempPath path in paths)
            {
                Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path.Path)!, Path.GetFileName(path.Path) + ".create-*"));
            }
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
