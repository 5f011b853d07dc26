using System.Threading.Tasks;
using Xunit;

namespace Overlay.Tests.Samples;

/// <summary><c>samples/Layouts</c> runs as a user runs it, and prints the records it wrote, read back
/// through views and through a pinned span, and its layout.</summary>
public class LayoutsSampleTests
{
    [Fact]
    public async Task TheSampleWritesReopensAndReadsItsRecords()
    {
        string printed = await SampleProgram.RunAsync("Layouts");

        Assert.Contains("wrote 4 players of 64 bytes", printed);
        Assert.Contains("'Quick save', version 3, 4 players:", printed);
        Assert.Contains("#2 Grace  health  87.5 at (1, 2, -1) slot0 101", printed);
        Assert.Contains("total health (pinned): 325.0", printed);
        Assert.Contains("44 NetScore int          4 bytes big-endian", printed);
    }
}
