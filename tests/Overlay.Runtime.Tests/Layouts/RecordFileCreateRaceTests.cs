using System.Collections.Generic;
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
        List<string> failures = CreateRace.Run(
            60,
            path =>
            {
                using WritableFile file = WritableFile.Create(path, Magic);
            },
            path =>
            {
                using ReadOnlyFile file = ReadOnlyFile.Open(path, Magic, MapAccess.Read);
                return file.Count == 0 ? null : $"count {file.Count}";
            });
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
