using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Overlay.Layouts;

namespace Overlay.Schemas;

/// <summary>
/// The differences between a layout as a file stores it and as the code declares it, by field
/// name, each classified compatible or not (<c>docs/formats.md</c>, Schemas §3).
/// </summary>
/// <remarks>
/// The rule is SBE's: records evolve by appending. A field both sides have must agree in kind,
/// value type, offset, size, byte order and length, and a nested layout must be identical. A field
/// only one side has is compatible when it lies entirely past the other side's record: new code
/// reads it as zero from old records, old code never sees it in new records. Anything else — a
/// move, a retype, a removal inside the record, a changed nested layout — is incompatible: the
/// bytes would be read as something they are not, and the file needs <c>Upgrade</c>.
/// </remarks>
public sealed class SchemaComparison
{
    private SchemaComparison(LayoutInfo stored, LayoutInfo current, List<SchemaDifference> differences)
    {
        Stored = stored;
        Current = current;
        Differences = differences;
    }

    /// <summary>The layout as the file stores it.</summary>
    public LayoutInfo Stored { get; }

    /// <summary>The layout as the code declares it.</summary>
    public LayoutInfo Current { get; }

    /// <summary>Every difference, fields in the stored layout's order, then added ones, then the record's size.</summary>
    public IReadOnlyList<SchemaDifference> Differences { get; }

    /// <summary>True when the two describe the same bytes (names, types, offsets, sizes, byte orders).</summary>
    public bool IsIdentical => Differences.Count == 0;

    /// <summary>True when every difference is compatible: records can be read both ways without migration.</summary>
    public bool IsCompatible => Differences.All(d => d.IsCompatible);

    /// <summary>Compares <paramref name="stored"/> (a file's) with <paramref name="current"/> (the code's).</summary>
    /// <param name="stored">The layout the file holds.</param>
    /// <param name="current">The layout the code declares.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static SchemaComparison Compare(LayoutInfo stored, LayoutInfo current)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(current);
        var differences = new List<SchemaDifference>();
        CompareFields(stored, current, string.Empty, nested: false, differences);
        if (stored.SizeInBytes != current.SizeInBytes)
        {
            bool fieldsCompatible = differences.All(d => d.IsCompatible);
            differences.Add(new SchemaDifference(
                string.Empty,
                SchemaChange.RecordResized,
                fieldsCompatible,
                $"the record is {stored.SizeInBytes} bytes in the file and {current.SizeInBytes} in the code ({(fieldsCompatible ? "append-only: each side reads the other's common prefix" : "with the incompatible changes above")})"));
        }

        return new SchemaComparison(stored, current, differences);
    }

    /// <summary>Each difference on its own line, incompatible ones marked.</summary>
    /// <returns>The list.</returns>
    public override string ToString()
    {
        if (IsIdentical)
        {
            return $"{Current.Name}: identical";
        }

        var text = new StringBuilder();
        foreach (SchemaDifference difference in Differences)
        {
            text.Append(difference.IsCompatible ? "  compatible: " : "  INCOMPATIBLE: ").Append(difference.Description).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    // Inside a nested layout every difference is incompatible: the nested record's size and the
    // offsets of what follows it are fixed by the outer layout, so nothing can be appended there.
    private static void CompareFields(LayoutInfo stored, LayoutInfo current, string prefix, bool nested, List<SchemaDifference> differences)
    {
        var byName = new Dictionary<string, LayoutField>(StringComparer.Ordinal);
        foreach (LayoutField field in current.Fields)
        {
            byName.TryAdd(field.Name, field);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (LayoutField old in stored.Fields)
        {
            string path = prefix + old.Name;
            seen.Add(old.Name);
            if (!byName.TryGetValue(old.Name, out LayoutField? now))
            {
                bool past = !nested && old.Offset >= current.SizeInBytes;
                differences.Add(new SchemaDifference(path, SchemaChange.Removed, past, past
                    ? $"{path} ({Describe(old)} at {old.Offset}) is in the file, not in the code; it lies past the code's {current.SizeInBytes}-byte record, so its bytes are kept and not read"
                    : $"{path} ({Describe(old)} at {old.Offset}) is in the file, not in the code, inside the code's record"));
                continue;
            }

            CompareField(old, now, path, differences);
        }

        foreach (LayoutField now in current.Fields)
        {
            if (seen.Contains(now.Name))
            {
                continue;
            }

            string path = prefix + now.Name;
            bool past = !nested && now.Offset >= stored.SizeInBytes;
            differences.Add(new SchemaDifference(path, SchemaChange.Added, past, past
                ? $"{path} ({Describe(now)} at {now.Offset}) is new, appended past the file's {stored.SizeInBytes}-byte record: it reads as zero from the file's records"
                : $"{path} ({Describe(now)} at {now.Offset}) is new, inside the file's {stored.SizeInBytes}-byte record, where the file's bytes mean something else"));
        }
    }

    private static void CompareField(LayoutField old, LayoutField now, string path, List<SchemaDifference> differences)
    {
        if (old.Kind != now.Kind)
        {
            differences.Add(new SchemaDifference(path, SchemaChange.KindChanged, false, $"{path} was {Describe(old)}, is {Describe(now)}"));
            return;
        }

        if (ValueType(old) != ValueType(now))
        {
            differences.Add(new SchemaDifference(path, SchemaChange.TypeChanged, false, $"{path} was {Describe(old)}, is {Describe(now)}"));
        }

        if (old.Offset != now.Offset)
        {
            differences.Add(new SchemaDifference(path, SchemaChange.Moved, false, $"{path} moved from offset {old.Offset} to {now.Offset}"));
        }

        if (old.SizeInBytes != now.SizeInBytes)
        {
            differences.Add(new SchemaDifference(path, SchemaChange.Resized, false, $"{path} was {old.SizeInBytes} bytes, is {now.SizeInBytes}"));
        }

        if (old.IsBigEndian != now.IsBigEndian)
        {
            differences.Add(new SchemaDifference(path, SchemaChange.ByteOrderChanged, false, $"{path} was {Endian(old)}, is {Endian(now)}"));
        }

        if (old.Length != now.Length)
        {
            differences.Add(new SchemaDifference(path, SchemaChange.LengthChanged, false, $"{path} held {old.Length} {(old.Kind is LayoutFieldKind.Utf8String or LayoutFieldKind.AsciiString ? "bytes" : "elements")}, holds {now.Length}"));
        }

        if (old.Layout is not null && now.Layout is not null)
        {
            CompareFields(old.Layout, now.Layout, path + ".", nested: true, differences);
            if (old.Layout.SizeInBytes != now.Layout.SizeInBytes && old.SizeInBytes == now.SizeInBytes)
            {
                differences.Add(new SchemaDifference(path, SchemaChange.Resized, false, $"{path}'s layout was {old.Layout.SizeInBytes} bytes, is {now.Layout.SizeInBytes}"));
            }
        }
    }

    // What the bytes mean: an enum by its underlying integer (its C# name may change freely),
    // a nested layout by its shape (compared field by field), anything else by its type name.
    private static string ValueType(LayoutField field) => field.Kind switch
    {
        LayoutFieldKind.Enum => field.UnderlyingType ?? field.TypeName,
        LayoutFieldKind.ValueArray when field.UnderlyingType is not null => "enum " + field.UnderlyingType,
        LayoutFieldKind.Layout or LayoutFieldKind.LayoutArray => string.Empty,
        LayoutFieldKind.VarList when field.Layout is not null => string.Empty,
        LayoutFieldKind.VarList when field.UnderlyingType is not null => "enum " + field.UnderlyingType,
        _ => field.TypeName,
    };

    internal static string Describe(LayoutField field) => field.Kind switch
    {
        LayoutFieldKind.Primitive => field.TypeName,
        LayoutFieldKind.Enum => $"enum {Short(field.TypeName)} : {field.UnderlyingType}",
        LayoutFieldKind.Guid => "Guid",
        LayoutFieldKind.Utf8String => $"UTF-8 string[{field.Length}]",
        LayoutFieldKind.AsciiString => $"ASCII string[{field.Length}]",
        LayoutFieldKind.ValueArray => field.UnderlyingType is null ? $"{field.TypeName}[{field.Length}]" : $"{Short(field.TypeName)} : {field.UnderlyingType}[{field.Length}]",
        LayoutFieldKind.LayoutArray => $"{Short(field.TypeName)}[{field.Length}]",
        LayoutFieldKind.VarList => field.UnderlyingType is null ? $"VarList<{Short(field.TypeName)}>" : $"VarList<{Short(field.TypeName)} : {field.UnderlyingType}>",
        _ => Short(field.TypeName),
    };

    private static string Short(string typeName) => typeName.StartsWith("global::", StringComparison.Ordinal) ? typeName[8..] : typeName;

    private static string Endian(LayoutField field) => field.IsBigEndian ? "big-endian" : "little-endian";
}
