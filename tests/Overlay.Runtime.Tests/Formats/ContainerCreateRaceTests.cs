using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Overlay.Formats;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>
/// A reader that opens a container as soon as its name appears must find a committed one:
/// <c>MappedContainer.Create</c> gives the file its name only once both slots are written (as
/// <c>RecordFile.Create</c> does, <c>RecordFileCreateRaceTests</c>), and never replaces a file
/// that is already there.
/// </summary>
public class ContainerCreateRaceTests
{
    private const ulong Tag = ContainerFiles.Tag;

    [Fact]
    public void AReaderThatOpensTheContainerAsSoonAsItsNameAppearsAlwaysFindsItCommitted()
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
                        using MappedContainer container = MappedContainer.Open(path.Path, Tag, MapAccess.Read);
                        if (container.Sections.Count != 0)
                        {
                            failures.Add($"{path.Path}: {container.Sections.Count} sections");
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
                    using MappedContainer container = MappedContainer.Create(path.Path, Tag);
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

    [Fact]
    public void CreateRefusesAnExistingFileAndLeavesItAndNoTemporaryFileBehind()
    {
        using var temp = new TempPath();
        File.WriteAllBytes(temp.Path, [1, 2, 3]);
        Assert.Throws<IOException>(() => MappedContainer.Create(temp.Path, Tag));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(temp.Path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".create-*"));
    }
}
