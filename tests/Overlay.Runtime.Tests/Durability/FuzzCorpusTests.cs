using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Overlay.Fuzz;
using Overlay.Tests.Samples;
using Xunit;

namespace Overlay.Tests.Durability;

/// <summary>
/// The coverage-guided fuzzer's minimised corpus (<c>tests/Overlay.Fuzz/corpus/TARGET/*.gz</c>, written by
/// <c>scripts/fuzz.sh</c>) and its findings (<c>tests/Overlay.Fuzz/findings/TARGET</c>), replayed
/// through the harness's own target functions: every file opens or is refused with the documented
/// exception, and walks without any other. This is the harness's smoke test in CI; the fuzzing
/// itself is not run here.
/// </summary>
public class FuzzCorpusTests
{
    public static TheoryData<string> Targets() => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryCommittedCorpusFileWalksWithOnlyDocumentedExceptions(string name)
    {
        FuzzTarget target = FuzzTargets.Get(name);
        string root = Path.Combine(SampleProgram.RepositoryRoot(), "tests", "Overlay.Fuzz");
        List<string> files = [.. Files(Path.Combine(root, "corpus", name)), .. Files(Path.Combine(root, "findings", name))];
        Assert.True(files.Count > 0, $"no corpus for {name}: run scripts/fuzz.sh {name} and commit tests/Overlay.Fuzz/corpus/{name}");

        string scratch = FuzzTargets.ScratchDirectory();
        try
        {
            var outcomes = new Dictionary<FuzzOutcome, int>();
            foreach (string file in files)
            {
                try
                {
                    FuzzOutcome outcome = target.Run(Read(file), Path.Combine(scratch, "input"));
                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                }
                catch (Exception e)
                {
                    Assert.Fail($"{file}: {e}");
                }
            }

            Assert.True(outcomes.GetValueOrDefault(FuzzOutcome.Opened) > 0, $"no file of the {name} corpus opened");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>A corpus file's bytes: gzipped in the repository (containers are mostly zeros).</summary>
    private static byte[] Read(string file)
    {
        if (!file.EndsWith(".gz", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(file);
        }

        using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static IEnumerable<string> Files(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal) : [];
}
