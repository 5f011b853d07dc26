using System;
using System.Collections.Generic;
using System.IO;
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
        List<string> failures = CreateRace.Run(
            60,
            path =>
            {
                using MappedContainer container = MappedContainer.Create(path, Tag);
            },
            path =>
            {
                using MappedContainer container = MappedContainer.Open(path, Tag, MapAccess.Read);
                return container.Sections.Count == 0 ? null : $"{container.Sections.Count} sections";
            });
        Assert.True(failures.Count == 0, string.Join("\n", failures));
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
