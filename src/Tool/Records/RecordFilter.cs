using System.Collections.Generic;
using System.Linq;
using Overlay.Layouts;

namespace Overlay.Tool.Records;

/// <summary>The <c>--where field=value</c> conditions of <c>inspect</c>: every one must hold (dotted paths reach nested layouts).</summary>
internal sealed class RecordFilter
{
    private readonly List<(string Path, string Value)> _conditions;

    private RecordFilter(List<(string Path, string Value)> conditions) => _conditions = conditions;

    public bool IsEmpty => _conditions.Count == 0;

    /// <exception cref="ToolException">A condition has no <c>=</c>.</exception>
    public static RecordFilter Parse(IEnumerable<string>? conditions)
    {
        var parsed = new List<(string, string)>();
        foreach (string condition in conditions ?? [])
        {
            int equals = condition.IndexOf('=');
            if (equals <= 0)
            {
                throw new ToolException(ExitCodes.Usage, $"--where '{condition}': expected field=value (a dotted path for nested fields, e.g. Position.X=1).");
            }

            parsed.Add((condition[..equals].Trim(), condition[(equals + 1)..]));
        }

        return new RecordFilter(parsed);
    }

    /// <exception cref="ToolException">A condition names a field <paramref name="layout"/> does not have.</exception>
    public void CheckAgainst(LayoutInfo layout, string section)
    {
        foreach ((string path, _) in _conditions)
        {
            if (!HasPath(layout, path.Split('.')))
            {
                throw new ToolException(ExitCodes.Usage, $"--where {path}: section '{section}' ({layout.Name}) has no such field; its fields are {string.Join(", ", layout.Fields.Select(f => f.Name))}.");
            }
        }
    }

    public bool Accepts(RecordValue record) =>
        _conditions.All(c => record.TryGet(c.Path, out object? value) && ValueText.Matches(value, c.Value));

    private static bool HasPath(LayoutInfo layout, string[] parts)
    {
        LayoutInfo? current = layout;
        for (int i = 0; i < parts.Length; i++)
        {
            LayoutField? field = current?.Fields.FirstOrDefault(f => f.Name == parts[i]);
            if (field is null)
            {
                return false;
            }

            current = field.Kind == LayoutFieldKind.Layout ? field.Layout : null;
        }

        return true;
    }
}
