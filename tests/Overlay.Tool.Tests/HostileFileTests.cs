using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary>
/// Damaged, truncated and hostile files: every command ends with a message and a documented exit
/// code (<see cref="ToolRun.Of"/> also checks no stack trace is printed); an exception escaping
/// the tool fails the test.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private static readonly int[] Documented = [0, 1, 2, 3, 4];
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AnInvalidEmbeddedSchemaIsAnInvalidFileForInspectAndAProblemForVerify()
    {
        string file = Files.Version1(_temp.File("game.ovl"));
        SectionInfo schema;
        using (MappedContainer container = MappedContainer.Open(file, Files.Tag, Overlay.MapAccess.Read))
        {
            schema = container.Sections.Single(s => s.Kind == SectionKind.Schema);
        }

        // The first field's offset (past the header, the layout's name, size, fingerprint, version
        // and field count, then the field's name, kind, value type, flags, reserved) made absurd:
        // sections' bytes carry no checksum, so only the schema reader's checks stand in the way.
        byte[] bytes = File.ReadAllBytes(file);
        int at = (int)schema.Offset + 16;
        at += 2 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at)) + 4 + 8 + 4 + 2;
        at += 2 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at)) + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), 0x7FFFFFF0);
        File.WriteAllBytes(file, bytes);

        ToolRun run = ToolRun.Of("inspect", file);
        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("overlay: invalid file: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("section 'players'", run.Error, StringComparison.Ordinal);

        run = ToolRun.Of("verify", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("schema section 'schema.0'", run.Output, StringComparison.Ordinal);

        Assert.Equal(3, ToolRun.Of("schema", file).ExitCode);
        Assert.Equal(3, ToolRun.Of("diff", file, file).ExitCode);
    }

    [Fact]
    public void EveryTruncationOfEveryKindEndsWithADocumentedExitCode()
    {
        string[] files =
        [
            Files.Container(_temp.File("c.ovl"), players: 5),
            Files.RecordFile(_temp.File("r.rec"), 5),
            Files.HashIndex(_temp.File("h.idx"), 5),
            Files.SortedIndex(_temp.File("s.idx"), 5),
            Files.SortedIndex(_temp.File("s1.idx"), 5, SortedIndexHeader.Version1),
        ];
        string cut = _temp.File("cut");
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            for (int length = 0; length < bytes.Length; length += length < 256 ? 1 : 97)
            {
                File.WriteAllBytes(cut, bytes[..length]);
                foreach (string command in new[] { "inspect", "verify", "schema" })
                {
                    ToolRun run = ToolRun.Of(command, cut, "--json");
                    Assert.True(Documented.Contains(run.ExitCode), $"{Path.GetFileName(file)} cut to {length}: {command} {run}");
                }

                Assert.NotEqual(0, ToolRun.Of("verify", cut).ExitCode);
            }
        }
    }

    [Fact]
    public void RandomDamageNeverEscapesAsAnException()
    {
        var random = new Random(1234);
        string[] files =
        [
            Files.Container(_temp.File("c.ovl"), players: 5),
            Files.RecordFile(_temp.File("r.rec"), 5),
            Files.HashIndex(_temp.File("h.idx"), 5),
            Files.SortedIndex(_temp.File("s.idx"), 20),
            Files.SortedIndex(_temp.File("s1.idx"), 20, SortedIndexHeader.Version1),
        ];
        string damaged = _temp.File("damaged");
        foreach (string file in files)
        {
            byte[] original = File.ReadAllBytes(file);
            for (int round = 0; round < 150; round++)
            {
                byte[] bytes = (byte[])original.Clone();
                for (int i = random.Next(1, 8); i > 0; i--)
                {
                    // Mostly the prefix, tables and schemas, where the numbers are.
                    int at = random.Next(2) == 0 ? random.Next(Math.Min(bytes.Length, 512)) : random.Next(bytes.Length);
                    bytes[at] = (byte)random.Next(256);
                }

                File.WriteAllBytes(damaged, bytes);
                foreach (string[] args in new[] { new[] { "inspect", damaged, "--json", "--count", "50" }, new[] { "inspect", damaged }, new[] { "verify", damaged }, new[] { "schema", damaged } })
                {
                    ToolRun run = ToolRun.Of(args);
                    Assert.True(Documented.Contains(run.ExitCode), $"{Path.GetFileName(file)} round {round}: {string.Join(' ', args)} {run}");
                }
            }
        }
    }
}
