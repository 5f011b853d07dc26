using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tool.Cli;
using Overlay.Tool.Files;
using Overlay.Tool.Records;
using Spectre.Console;

namespace Overlay.Tool.Commands;

/// <summary><c>overlay schema FILE</c>: every embedded schema, as decoded from the file alone.</summary>
internal static class SchemaCommand
{
    public static int Run(ToolConsole io, string file, bool json, string? section)
    {
        List<(string Section, string SchemaSection, LayoutInfo Layout)> schemas = EmbeddedSchemas.Read(file);
        if (section is not null)
        {
            schemas = schemas.Where(s => s.Section == section).ToList();
            if (schemas.Count == 0)
            {
                throw new ToolException(ExitCodes.Usage, $"{file} has no records section '{section}' with a schema.");
            }
        }

        if (json)
        {
            io.Out.WriteLine(ValueText.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("file", file);
                w.WriteStartArray("schemas");
                foreach ((string info, string schemaSection, LayoutInfo layout) in schemas)
                {
                    w.WriteStartObject();
                    w.WriteString("section", info);
                    w.WriteString("schemaSection", schemaSection);
                    w.WritePropertyName("layout");
                    WriteLayout(w, layout);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }));
            return ExitCodes.Success;
        }

        if (schemas.Count == 0)
        {
            io.Ansi.WriteLine($"{file}: no records section carries a schema.");
        }

        foreach ((string info, string schemaSection, LayoutInfo layout) in schemas)
        {
            io.Ansi.WriteLine($"section '{info}' (schema in '{schemaSection}'):");
            WriteText(io, layout, new HashSet<LayoutInfo>());
            io.Ansi.WriteLine();
        }

        return ExitCodes.Success;
    }

    /// <summary>A layout and, after it, each layout it nests (once).</summary>
    public static void WriteText(ToolConsole io, LayoutInfo layout, HashSet<LayoutInfo> written)
    {
        if (!written.Add(layout))
        {
            return;
        }

        io.Ansi.WriteLine($"  {layout.Name}: {layout.SizeInBytes} bytes, fingerprint {ValueText.Hex(layout.Fingerprint)}, version {layout.Version}");
        Table table = Tables.Create("offset", "size", "field", "type", "byte order", "former names");
        foreach (LayoutField field in layout.Fields)
        {
            table.Row([
                field.Offset.ToString(CultureInfo.InvariantCulture), field.SizeInBytes.ToString(CultureInfo.InvariantCulture), field.Name,
                Describe(field), field.IsBigEndian ? "big-endian" : "little-endian", string.Join(", ", field.FormerNames ?? [])]);
        }

        io.Ansi.Write(table);
        foreach (LayoutField field in layout.Fields)
        {
            if (field.Layout is not null)
            {
                WriteText(io, field.Layout, written);
            }
        }
    }

    public static string Describe(LayoutField field) => field.Kind switch
    {
        LayoutFieldKind.Primitive => field.TypeName,
        LayoutFieldKind.Enum => $"enum {field.TypeName} : {field.UnderlyingType}",
        LayoutFieldKind.Guid => "Guid",
        LayoutFieldKind.Utf8String => $"UTF-8 string[{field.Length}]",
        LayoutFieldKind.AsciiString => $"ASCII string[{field.Length}]",
        LayoutFieldKind.ValueArray => field.UnderlyingType is null ? $"{field.TypeName}[{field.Length}]" : $"enum {field.TypeName} : {field.UnderlyingType}[{field.Length}]",
        LayoutFieldKind.LayoutArray => $"{field.TypeName}[{field.Length}]",
        LayoutFieldKind.Layout => field.TypeName,
        LayoutFieldKind.VarString => "[VarString] heap reference",
        LayoutFieldKind.VarBytes => "[VarBytes] heap reference",
        LayoutFieldKind.VarList => field.UnderlyingType is null ? $"[VarList] of {field.TypeName}, heap reference" : $"[VarList] of enum {field.TypeName} : {field.UnderlyingType}, heap reference",
        _ => field.Kind.ToString(),
    };

    public static void WriteLayout(Utf8JsonWriter w, LayoutInfo layout)
    {
        w.WriteStartObject();
        w.WriteString("name", layout.Name);
        w.WriteNumber("size", layout.SizeInBytes);
        w.WriteString("fingerprint", ValueText.Hex(layout.Fingerprint));
        w.WriteNumber("version", layout.Version);
        w.WriteStartArray("fields");
        foreach (LayoutField field in layout.Fields)
        {
            w.WriteStartObject();
            w.WriteString("name", field.Name);
            w.WriteNumber("offset", field.Offset);
            w.WriteNumber("size", field.SizeInBytes);
            w.WriteString("kind", field.Kind.ToString());
            w.WriteString("type", field.TypeName);
            if (field.UnderlyingType is not null)
            {
                w.WriteString("underlyingType", field.UnderlyingType);
            }

            w.WriteBoolean("bigEndian", field.IsBigEndian);
            if (field.Length != 0)
            {
                w.WriteNumber("length", field.Length);
            }

            if (field.FormerNames is { Count: > 0 })
            {
                w.WriteStartArray("formerNames");
                foreach (string name in field.FormerNames)
                {
                    w.WriteStringValue(name);
                }

                w.WriteEndArray();
            }

            if (field.Layout is not null)
            {
                w.WritePropertyName("layout");
                WriteLayout(w, field.Layout);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
