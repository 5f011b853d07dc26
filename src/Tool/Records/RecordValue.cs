using System.Collections.Generic;

namespace Overlay.Tool.Records;

/// <summary>
/// A record decoded through its schema: field names and values in offset order. Values are
/// <c>long</c>, <c>ulong</c>, <c>double</c>, <c>bool</c>, <c>string</c>, a list of values (arrays)
/// or a nested <see cref="RecordValue"/>, so the text and JSON writers need no layout code.
/// </summary>
internal sealed class RecordValue
{
    public RecordValue(long index, List<KeyValuePair<string, object?>> fields)
    {
        Index = index;
        Fields = fields;
    }

    /// <summary>The record's index in its section (-1 for a nested record).</summary>
    public long Index { get; }

    public List<KeyValuePair<string, object?>> Fields { get; }

    /// <summary>The value at a dotted path (<c>Position.X</c>), or false when there is none.</summary>
    public bool TryGet(string path, out object? value)
    {
        RecordValue current = this;
        string[] parts = path.Split('.');
        value = null;
        for (int i = 0; i < parts.Length; i++)
        {
            bool found = false;
            foreach (KeyValuePair<string, object?> field in current.Fields)
            {
                if (field.Key == parts[i])
                {
                    value = field.Value;
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }

            if (i < parts.Length - 1)
            {
                if (value is not RecordValue nested)
                {
                    return false;
                }

                current = nested;
            }
        }

        return true;
    }
}
