using System.Collections.Generic;
using Overlay.Tool.Cli;
using Overlay.Tool.Files;
using Overlay.Tool.Records;

namespace Overlay.Tool.Commands;

/// <summary><c>overlay verify FILE</c>: every structural check, every problem listed; exit 1 when there is one.</summary>
internal static class VerifyCommand
{
    public static int Run(ToolConsole io, string file, bool json)
    {
        FileKind kind;
        IReadOnlyList<string> problems;
        string summary;
        try
        {
            kind = FileDetector.Detect(file);
        }
        catch (System.IO.InvalidDataException e)
        {
            return Report(io, file, "unknown", [e.Message], string.Empty, json);
        }

        if (kind == FileKind.Container)
        {
            ContainerVerifier verifier = ContainerVerifier.Run(file);
            problems = verifier.Problems;
            summary = verifier.Summary;
        }
        else
        {
            PlainFile plain = PlainFileReader.Read(file, kind, 0, 0);
            problems = plain.Problems;
            summary = $"{plain.Total} {(kind == FileKind.RecordFile ? "records" : "entries")}";
        }

        return Report(io, file, EmbeddedSchemas.Describe(kind), problems, summary, json);
    }

    private static int Report(ToolConsole io, string file, string kind, IReadOnlyList<string> problems, string summary, bool json)
    {
        if (json)
        {
            io.Out.WriteLine(ValueText.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("file", file);
                w.WriteString("kind", kind);
                w.WriteBoolean("ok", problems.Count == 0);
                w.WriteString("checked", summary);
                w.WriteStartArray("problems");
                foreach (string problem in problems)
                {
                    w.WriteStringValue(problem);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }));
        }
        else if (problems.Count == 0)
        {
            io.Out.WriteLine($"{file}: OK ({kind}: {summary})");
        }
        else
        {
            io.Out.WriteLine($"{file}: {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")} ({kind})");
            foreach (string problem in problems)
            {
                io.Out.WriteLine($"  - {problem}");
            }
        }

        return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Problems;
    }
}
