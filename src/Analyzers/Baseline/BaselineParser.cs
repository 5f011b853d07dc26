using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.Text;

namespace Overlay.Analyzers.Baseline;

/// <summary>
/// Reads a schema baseline (<c>Layouts.Baseline.txt</c>; format in docs/diagnostics/OVL201.md).
/// Line-oriented so that a change shows in review as the lines of the fields it touches. A line that
/// does not parse is a problem (OVL206) and its block is skipped; the other blocks still count.
/// </summary>
internal static class BaselineParser
{
    /// <summary>The file name a project's baseline has (an <c>AdditionalFiles</c> item); compared ignoring case.</summary>
    public const string FileName = "Layouts.Baseline.txt";

    /// <summary>The text the code fix starts an empty baseline with.</summary>
    public const string Header =
        "# Overlay schema baseline: each [MappedLayout] of this project as files hold it (docs/diagnostics/OVL201.md).\n" +
        "# Checked at build time (OVL201-OVL207); update it with the code fix, review it like code.\n";

    /// <summary>Parses a baseline.</summary>
    /// <param name="text">The file's text.</param>
    /// <returns>The blocks and the problems.</returns>
    public static BaselineFile Parse(SourceText text)
    {
        var blocks = new List<BaselineBlock>();
        var problems = new List<(int, string)>();
        BaselineBlock? current = null;
        List<BaselineField> fields = new();
        bool skipping = false;
        int lastLine = -1;

        void Close()
        {
            if (current is not null)
            {
                blocks.Add(current with { Fields = fields.ToImmutableArray(), EndLine = lastLine + 1 });
            }

            current = null;
            fields = new List<BaselineField>();
        }

        foreach (TextLine textLine in text.Lines)
        {
            string line = textLine.ToString().TrimEnd();
            int number = textLine.LineNumber;
            string trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (trimmed.StartsWith("layout ", System.StringComparison.Ordinal))
            {
                Close();
                if (ParseHeader(trimmed.Substring(7), out BaselineBlock? block, out string? problem))
                {
                    current = block! with { Line = number };
                    lastLine = number;
                    skipping = false;
                }
                else
                {
                    problems.Add((number, problem!));
                    skipping = true;
                }

                continue;
            }

            if (trimmed.StartsWith("field ", System.StringComparison.Ordinal) && (current is not null || skipping))
            {
                if (skipping)
                {
                    continue;
                }

                if (ParseField(trimmed.Substring(6), out BaselineField? field, out string? problem))
                {
                    fields.Add(field!);
                    lastLine = number;
                }
                else
                {
                    problems.Add((number, problem!));
                    current = null;
                    skipping = true;
                }

                continue;
            }

            problems.Add((number, current is null && !skipping && trimmed.StartsWith("field ", System.StringComparison.Ordinal)
                ? "a 'field' line before any 'layout' line"
                : $"'{Shorten(trimmed)}' is neither a 'layout' line, a 'field' line, a comment (#) nor blank"));
        }

        Close();
        CheckBlocks(blocks, problems);
        return new BaselineFile(
            blocks.Where(b => !problems.Any(p => p.Item1 >= b.Line && p.Item1 < b.EndLine)).ToImmutableArray(),
            problems.OrderBy(p => p.Item1).ToImmutableArray());
    }

    private static void CheckBlocks(List<BaselineBlock> blocks, List<(int, string)> problems)
    {
        var seen = new HashSet<(string, int)>();
        foreach (BaselineBlock block in blocks)
        {
            if (!seen.Add((block.Name, block.Version)))
            {
                problems.Add((block.Line, $"layout '{block.Name}' has a second block for version {Number(block.Version)}"));
            }

            if (block.UpgradeFrom is { } from && (from >= block.Version || !blocks.Any(b => b.Name == block.Name && b.Version == from)))
            {
                problems.Add((block.Line, from >= block.Version
                    ? $"layout '{block.Name}' version {Number(block.Version)} upgrades from version {Number(from)}, which is not older"
                    : $"layout '{block.Name}' version {Number(block.Version)} upgrades from version {Number(from)}, which has no block: keep the old version's block"));
            }

            var names = new HashSet<string>();
            int end = 0;
            foreach (BaselineField field in block.Fields)
            {
                if (!names.Add(field.Name))
                {
                    problems.Add((block.Line, $"layout '{block.Name}' version {Number(block.Version)} lists field '{field.Name}' twice"));
                }

                if (field.Offset < end || (long)field.Offset + field.Size > block.Size)
                {
                    problems.Add((block.Line, $"layout '{block.Name}' version {Number(block.Version)}: field '{field.Name}' overlaps the previous field or ends past size={Number(block.Size)}"));
                }

                end = field.Offset + field.Size;
            }
        }
    }

    private static bool ParseHeader(string rest, out BaselineBlock? block, out string? problem)
    {
        block = null;
        string[] parts = rest.Split(new[] { ' ' }, System.StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            problem = "a 'layout' line without a name";
            return false;
        }

        int? version = null;
        int? size = null;
        int? upgradeFrom = null;
        foreach (string part in parts.Skip(1))
        {
            int equals = part.IndexOf('=');
            string key = equals < 0 ? part : part.Substring(0, equals);
            if (equals < 0 || !int.TryParse(part.Substring(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                problem = $"'{Shorten(part)}' in the 'layout' line of '{parts[0]}' is not key=number";
                return false;
            }

            switch (key)
            {
                case "version" when version is null:
                    version = value;
                    break;
                case "size" when size is null && value > 0:
                    size = value;
                    break;
                case "upgrade-from" when upgradeFrom is null:
                    upgradeFrom = value;
                    break;
                default:
                    problem = $"'{Shorten(part)}' in the 'layout' line of '{parts[0]}' is unknown, repeated or out of range (version=, size= (positive), upgrade-from=)";
                    return false;
            }
        }

        if (version is null || size is null)
        {
            problem = $"the 'layout' line of '{parts[0]}' needs version= and size=";
            return false;
        }

        block = new BaselineBlock(parts[0], version.Value, size.Value, upgradeFrom, ImmutableArray<BaselineField>.Empty);
        problem = null;
        return true;
    }

    private static bool ParseField(string rest, out BaselineField? field, out string? problem)
    {
        field = null;
        string[] parts = rest.Trim().Split(':');
        if (parts.Length is < 5 or > 6
            || parts[0].Length == 0
            || parts[1].Length == 0
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int offset)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int size)
            || parts[4] is not ("le" or "be")
            || (parts.Length == 6 && !parts[5].StartsWith("formerly=", System.StringComparison.Ordinal)))
        {
            problem = $"'{Shorten(rest.Trim())}' is not a field (Name:type:offset:size:le|be[:formerly=A,B])";
            return false;
        }

        ImmutableArray<string> former = parts.Length == 6
            ? parts[5].Substring(9).Split(',').Where(n => n.Length > 0).ToImmutableArray()
            : ImmutableArray<string>.Empty;
        field = new BaselineField(parts[0], parts[1], offset, size, parts[4] == "be", former);
        problem = null;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "...";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
