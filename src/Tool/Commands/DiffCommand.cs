using System.Collections.Generic;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tool.Cli;
using Overlay.Tool.Files;
using Overlay.Tool.Records;
using Spectre.Console;

namespace Overlay.Tool.Commands;

/// <summary>
/// <c>overlay diff A B</c>: the schemas of the records sections the two files share, compared by
/// field name as the runtime compares a file with the code (<see cref="SchemaComparison"/>, A as
/// the stored side, B as the current one). Exit 0 when B's code could read A's records without
/// migration, 1 when not.
/// </summary>
internal static class DiffCommand
{
    public static int Run(ToolConsole io, string a, string b, bool json)
    {
        List<(string Section, string SchemaSection, LayoutInfo Layout)> left = EmbeddedSchemas.Read(a);
        List<(string Section, string SchemaSection, LayoutInfo Layout)> right = EmbeddedSchemas.Read(b);
        var results = new List<(string Section, SchemaComparison? Comparison, string? Note, bool Compatible)>();
        foreach ((string section, _, LayoutInfo layout) in left)
        {
            (string Section, string SchemaSection, LayoutInfo Layout) other = right.FirstOrDefault(r => r.Section == section);
            if (other.Layout is null)
            {
                results.Add((section, null, $"only in {a}: a reader of {b} finds no section '{section}'", false));
                continue;
            }

            SchemaComparison comparison = SchemaComparison.Compare(layout, other.Layout);
            results.Add((section, comparison, null, comparison.IsCompatible));
        }

        foreach ((string section, _, _) in right.Where(r => !left.Any(l => l.Section == r.Section)))
        {
            results.Add((section, null, $"only in {b}: a new section", true));
        }

        bool compatible = results.All(r => r.Compatible);
        if (json)
        {
            io.Out.WriteLine(ValueText.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("stored", a);
                w.WriteString("current", b);
                w.WriteBoolean("compatible", compatible);
                w.WriteStartArray("sections");
                foreach ((string section, SchemaComparison? comparison, string? note, bool ok) in results)
                {
                    w.WriteStartObject();
                    w.WriteString("section", section);
                    w.WriteBoolean("compatible", ok);
                    if (note is not null)
                    {
                        w.WriteString("note", note);
                    }

                    if (comparison is not null)
                    {
                        w.WriteString("storedLayout", comparison.Stored.Name);
                        w.WriteString("currentLayout", comparison.Current.Name);
                        w.WriteBoolean("identical", comparison.IsIdentical);
                        w.WriteStartArray("differences");
                        foreach (SchemaDifference difference in comparison.Differences)
                        {
                            w.WriteStartObject();
                            w.WriteString("field", difference.Field);
                            w.WriteString("change", difference.Change.ToString());
                            w.WriteBoolean("compatible", difference.IsCompatible);
                            w.WriteString("description", difference.Description);
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }));
            return compatible ? ExitCodes.Success : ExitCodes.Problems;
        }

        foreach ((string section, SchemaComparison? comparison, string? note, bool ok) in results)
        {
            if (comparison is null)
            {
                io.Ansi.WriteLine($"section '{section}': {note}");
                continue;
            }

            string verdict = comparison.IsIdentical ? "identical" : ok ? "compatible (append-only: read both ways without migration)" : "INCOMPATIBLE (needs overlay upgrade)";
            io.Ansi.WriteLine($"section '{section}': {comparison.Stored.Name} -> {comparison.Current.Name}: {verdict}");
            if (comparison.IsIdentical)
            {
                continue;
            }

            Table table = Tables.Create("field", "change", "compatible", "what");
            foreach (SchemaDifference difference in comparison.Differences)
            {
                table.Row([difference.Field.Length == 0 ? "(record)" : difference.Field, difference.Change.ToString(), difference.IsCompatible ? "yes" : "NO", difference.Description]);
            }

            io.Ansi.Write(table);
        }

        io.Ansi.WriteLine(compatible ? $"{b} reads {a}'s records without migration." : $"{b}'s layouts cannot read {a}'s records without an upgrade.");
        return compatible ? ExitCodes.Success : ExitCodes.Problems;
    }
}
