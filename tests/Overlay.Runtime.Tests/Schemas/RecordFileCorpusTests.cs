using System;
using System.IO;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Schemas;

/// <summary>
/// Record files written by an earlier build, committed under <c>tests/Overlay.Runtime.Tests/Corpus</c>
/// (written once with <c>OVERLAY_WRITE_CORPUS=1</c>, then never rewritten): every later build reads them.
/// </summary>
public class RecordFileCorpusTests
{
    private const ulong Magic = 0x31305F5359414C50; // "PLAYS_01"

    /// <summary>
    /// A format-2 record file with the 128-byte prefix, from before record files embedded their
    /// schemas: it opens unchanged (no schema, the exact layouts required), and appending to it
    /// keeps it in the old shape.
    /// </summary>
    [Fact]
    public void AFormat2RecordFileWithoutSchemasIsReadByEveryLaterBuild()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Corpus", "players-v1-noschema.rec");
        string source = Path.Combine(CorpusFiles.SourceDirectory(), "players-v1-noschema.rec");
        if (Environment.GetEnvironmentVariable("OVERLAY_WRITE_CORPUS") == "1" && !File.Exists(source))
        {
            path = source;
            using var created = RecordFile<Vec2.View, PlayerV1.View>.Create(source, Magic);
            Vec2.View header = created.Header;
            header.X = 1.5f;
            header.Y = -2f;
            for (int i = 0; i < 10; i++)
            {
                created.Append(new PlayerV1 { Id = i, Score = i * 0.5f });
            }

            created.Flush();
        }

        Assert.Equal(128u, BitConverter.ToUInt32(File.ReadAllBytes(path), 12));
        string copy = Path.Combine(Path.GetTempPath(), $"overlay-corpus-{Guid.NewGuid():N}.rec");
        File.Copy(path, copy);
        try
        {
            using (var file = RecordFile<Vec2.ReadOnlyView, PlayerV1.ReadOnlyView>.Open(copy, Magic, MapAccess.Read))
            {
                Assert.Equal(10, file.Count);
                Assert.Equal((1.5f, -2f), (file.Header.X, file.Header.Y));
                Assert.Equal((9, 4.5f), (file[9].Id, file[9].Score));
            }

            using (var file = RecordFile<Vec2.View, PlayerV1.View>.Open(copy, Magic))
            {
                file.Append(new PlayerV1 { Id = 10, Score = 5f });
            }

            using var reopened = RecordFile<Vec2.ReadOnlyView, PlayerV1.ReadOnlyView>.Open(copy, Magic, MapAccess.Read);
            Assert.Equal(11, reopened.Count);
            Assert.Equal(5f, reopened[10].Score);
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
