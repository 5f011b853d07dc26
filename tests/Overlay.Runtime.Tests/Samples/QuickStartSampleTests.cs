using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Overlay.Tests.Samples;

/// <summary>
/// README's demo command runs <c>samples/QuickStart</c>: run the build of it that
/// <c>dotnet test Overlay.sln</c> made (the sample is in the solution) and check what it printed,
/// so the demo cannot break silently.
/// </summary>
public class QuickStartSampleTests
{
    [Fact]
    public async Task TheDemoMapsAFileAndPrintsWhatItDid()
    {
        string printed = await SampleProgram.RunAsync("QuickStart");
        Assert.Contains("resized 35 -> 51 bytes; file size now 51", printed);
        Assert.Contains("appended by map", printed);
        Assert.Contains("sensor 0 (probe-0): 20.5 °C", printed);
        Assert.Contains("sensor 2 (probe-2): 22.5 °C", printed);
    }

    /// <summary>README's first C# block is the demo's record-file example, line for line (indent
    /// aside), so the README's code is code that compiles and runs in CI.</summary>
    [Fact]
    public void TheReadmesFirstExampleIsTheDemosCode()
    {
        string root = SampleProgram.RepositoryRoot();
        string[] sample = File.ReadAllLines(Path.Combine(root, "samples", "QuickStart", "RecordsExample.cs"));
        int begin = Array.FindIndex(sample, line => line.Trim() == "// README begin");
        int end = Array.FindIndex(sample, line => line.Trim() == "// README end");
        Assert.True(begin >= 0 && end > begin, "RecordsExample.cs lost its README markers");
        string[] expected = sample[(begin + 1)..end].Select(line => line.Trim()).ToArray();

        string[] readme = File.ReadAllLines(Path.Combine(root, "README.md"));
        int open = Array.FindIndex(readme, line => line.Trim() == "```csharp");
        Assert.True(open >= 0, "README.md has no C# block");
        string[] shown = readme[(open + 1)..].TakeWhile(line => line.Trim() != "```").Select(line => line.Trim()).ToArray();

        Assert.True(shown.Length >= expected.Length, $"README's first C# block has {shown.Length} lines, the example {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == shown[i], $"README's example differs from samples/QuickStart/RecordsExample.cs at its line {i + 1}:\n  README: {shown[i]}\n  sample: {expected[i]}");
        }
    }
}
