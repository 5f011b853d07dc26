using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Overlay.Analyzers.Baseline;

/// <summary>One difference between a baseline block and the code, by field name.</summary>
/// <param name="Text">What changed, for the message.</param>
/// <param name="Breaking">Whether files written by the baseline's layout can no longer be read through the code's.</param>
internal sealed record BaselineDifference(string Text, bool Breaking);

/// <summary>
/// Compares a layout with its baseline block by the rules files are opened by (docs/formats.md §8.3,
/// as SBE): appending fields past the old record, renaming with <c>[FormerName]</c> and growing the
/// record are compatible; any change to an existing field's type, offset, size or byte order, a
/// removal, a field added inside the old record, a smaller record, and any change of a nested
/// layout (its fingerprint) are not.
/// </summary>
internal static class BaselineComparer
{
    /// <summary>Every difference, in the baseline's field order, then the code's added fields, then the size.</summary>
    /// <param name="baseline">The baseline's block.</param>
    /// <param name="code">The block of the layout as the code declares it.</param>
    /// <returns>The differences; empty when the block is up to date.</returns>
    public static List<BaselineDifference> Compare(BaselineBlock baseline, BaselineBlock code)
    {
        var differences = new List<BaselineDifference>();
        var matched = new HashSet<string>();
        foreach (BaselineField old in baseline.Fields)
        {
            BaselineField? now = code.Fields.FirstOrDefault(f => f.Name == old.Name)
                ?? code.Fields.FirstOrDefault(f => !f.FormerNames.IsDefaultOrEmpty && f.FormerNames.Contains(old.Name) && baseline.Fields.All(b => b.Name != f.Name));
            if (now is null)
            {
                BaselineField? sameBytes = code.Fields.FirstOrDefault(f => f.Offset == old.Offset && f.BytesType == old.BytesType && baseline.Fields.All(b => b.Name != f.Name));
                differences.Add(new BaselineDifference(
                    sameBytes is null
                        ? $"field '{old.Name}' removed"
                        : $"field '{old.Name}' removed (renamed to '{sameBytes.Name}'? add [FormerName(\"{old.Name}\")] to it)",
                    Breaking: true));
                continue;
            }

            matched.Add(now.Name);
            string name = now.Name == old.Name ? $"'{old.Name}'" : $"'{old.Name}' (now '{now.Name}')";
            if (now.BytesType != old.BytesType)
            {
                differences.Add(new BaselineDifference($"field {name} type {old.Type} -> {now.Type}", Breaking: true));
            }
            else if (now.Size != old.Size)
            {
                differences.Add(new BaselineDifference($"field {name} size {Number(old.Size)} -> {Number(now.Size)}", Breaking: true));
            }

            if (now.Offset != old.Offset)
            {
                differences.Add(new BaselineDifference($"field {name} offset {Number(old.Offset)} -> {Number(now.Offset)}", Breaking: true));
            }

            if (now.BigEndian != old.BigEndian)
            {
                differences.Add(new BaselineDifference($"field {name} byte order {Order(old)} -> {Order(now)}", Breaking: true));
            }

            if (now.Name != old.Name)
            {
                differences.Add(new BaselineDifference($"field '{old.Name}' renamed to '{now.Name}' with [FormerName]", Breaking: false));
            }
            else if (now.Type != old.Type && now.BytesType == old.BytesType)
            {
                differences.Add(new BaselineDifference($"field {name} nested layout renamed {old.Type} -> {now.Type}", Breaking: false));
            }

            if (!now.FormerNames.SequenceEqual(old.FormerNames.IsDefault ? System.Collections.Immutable.ImmutableArray<string>.Empty : old.FormerNames))
            {
                differences.Add(new BaselineDifference($"field '{now.Name}' former names [{string.Join(", ", old.FormerNames)}] -> [{string.Join(", ", now.FormerNames)}]", Breaking: false));
            }
        }

        foreach (BaselineField added in code.Fields.Where(f => !matched.Contains(f.Name)))
        {
            differences.Add(added.Offset >= baseline.Size
                ? new BaselineDifference($"field '{added.Name}' appended at offset {Number(added.Offset)}", Breaking: false)
                : new BaselineDifference($"field '{added.Name}' added at offset {Number(added.Offset)}, inside the old {Number(baseline.Size)}-byte record (append past it instead)", Breaking: true));
        }

        if (code.Size < baseline.Size)
        {
            differences.Add(new BaselineDifference($"size {Number(baseline.Size)} -> {Number(code.Size)} (records shrink)", Breaking: true));
        }
        else if (code.Size > baseline.Size)
        {
            differences.Add(new BaselineDifference($"size {Number(baseline.Size)} -> {Number(code.Size)}", Breaking: false));
        }

        return differences;
    }

    private static string Order(BaselineField field) => field.BigEndian ? "big-endian" : "little-endian";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
