using System.Collections.Generic;
using System.Globalization;
using Overlay.Tool.Cli;
using Overlay.Tool.Files;
using Overlay.Tool.Records;
using Spectre.Console;

namespace Overlay.Tool.Commands;

/// <summary><c>overlay inspect FILE</c>: tells the file's kind by its magic and prints what it holds.</summary>
internal static class InspectCommand
{
    public static int Run(ToolConsole io, InspectOptions options)
    {
        FileKind kind = FileDetector.Detect(options.File);
        if (kind == FileKind.Container)
        {
            return InspectContainer.Run(io, options);
        }

        if (options.Section is not null || !options.Filter.IsEmpty)
        {
            throw new ToolException(ExitCodes.Usage, $"{options.File} is a {EmbeddedSchemas.Describe(kind)}: --section and --where need a container (sections and an embedded schema).");
        }

        PlainFile file = PlainFileReader.Read(options.File, kind, options.Offset, options.Count);
        if (file.Problems.Count > 0 && file.Header.Count == 0)
        {
            throw new System.IO.InvalidDataException($"{options.File}: {file.Problems[0]}.");
        }

        if (options.Json)
        {
            io.Out.WriteLine(ValueText.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("file", options.File);
                w.WriteString("kind", EmbeddedSchemas.Describe(kind));
                w.WriteStartObject("header");
                foreach (KeyValuePair<string, object> field in file.Header)
                {
                    w.WritePropertyName(field.Key);
                    ValueText.WriteJson(w, field.Value is uint u ? (long)u : field.Value);
                }

                w.WriteEndObject();
                w.WriteStartArray("problems");
                foreach (string problem in file.Problems)
                {
                    w.WriteStringValue(problem);
                }

                w.WriteEndArray();
                w.WriteNumber("total", file.Total);
                w.WriteNumber("offset", options.Offset);
                w.WriteStartArray("entries");
                foreach (PlainEntry entry in file.Entries)
                {
                    w.WriteStartObject();
                    w.WriteNumber("#", entry.Position);
                    if (entry.Key is not null)
                    {
                        w.WriteString("key", entry.Key);
                    }

                    w.WriteString(entry.Key is null ? "bytes" : "value", entry.Value);
                    if (entry.Fields is not null)
                    {
                        w.WriteString("fields", entry.Fields);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }));
            return ExitCodes.Success;
        }

        io.Ansi.WriteLine($"{options.File}: Overlay {EmbeddedSchemas.Describe(kind)}");
        Table header = Tables.Create("field", "value");
        foreach (KeyValuePair<string, object> field in file.Header)
        {
            header.Row([field.Key, System.Convert.ToString(field.Value, CultureInfo.InvariantCulture) ?? string.Empty]);
        }

        io.Ansi.Write(header);
        foreach (string problem in file.Problems)
        {
            io.Ansi.WriteLine($"problem: {problem}");
        }

        string what = kind == FileKind.RecordFile ? "records" : "entries";
        io.Ansi.WriteLine(file.Entries.Count == 0 ? $"no {what} shown of {file.Total}" : $"{what} {options.Offset}..{options.Offset + file.Entries.Count - 1} of {file.Total}");
        if (file.Entries.Count > 0)
        {
            bool decoded = file.Entries[0].Fields is not null;
            Table table = kind == FileKind.RecordFile
                ? (decoded ? Tables.Create("#", "fields", "bytes") : Tables.Create("#", "bytes"))
                : Tables.Create(kind == FileKind.HashIndex ? "slot" : "#", "key", "value");
            foreach (PlainEntry entry in file.Entries)
            {
                string position = entry.Position.ToString(CultureInfo.InvariantCulture);
                table.Row(entry.Key is not null ? [position, entry.Key, entry.Value] : decoded ? [position, entry.Fields!, entry.Value] : [position, entry.Value]);
            }

            io.Ansi.Write(table);
        }

        return ExitCodes.Success;
    }
}
