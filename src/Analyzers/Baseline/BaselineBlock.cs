using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Overlay.Generators.Model;

namespace Overlay.Analyzers.Baseline;

/// <summary>One field line of a baseline block: <c>field Name:type:offset:size:order[:formerly=A,B]</c>.</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Type">Its type token (<c>u32</c>, <c>enum(i32)</c>, <c>utf8[24]</c>, <c>array(u16)[4]</c>, <c>Game.Vec3{0123456789ABCDEF}</c>, <c>vlist(i32)</c>, <c>vlist(Game.Quest{0123456789ABCDEF})</c>, ...).</param>
/// <param name="Offset">Its offset.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="BigEndian">Its byte order.</param>
/// <param name="FormerNames">Its <c>[FormerName]</c>s.</param>
internal sealed record BaselineField(string Name, string Type, int Offset, int Size, bool BigEndian, ImmutableArray<string> FormerNames)
{
    /// <summary>
    /// What the bytes hold, without the names of nested layouts (a nested layout is known by its
    /// fingerprint: renaming its type changes no byte).
    /// </summary>
    public string BytesType => BaselineBlock.WithoutLayoutNames(Type);

    /// <summary>The field's line, without indentation.</summary>
    public string Format()
    {
        string line = string.Join(":", Name, Type, Number(Offset), Number(Size), BigEndian ? "be" : "le");
        return FormerNames.IsDefaultOrEmpty ? line : line + ":formerly=" + string.Join(",", FormerNames);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// One block of a schema baseline: a layout at one version, as files hold it.
/// <c>layout Name version=N size=S [upgrade-from=M]</c>, then its fields in offset order.
/// </summary>
/// <param name="Name">The layout's full type name (<c>Game.PlayerRecord</c>).</param>
/// <param name="Version">Its declared version.</param>
/// <param name="Size">The record's size.</param>
/// <param name="UpgradeFrom">The version whose files are upgraded into this one; null when none is recorded.</param>
/// <param name="Fields">The fields, in offset order.</param>
internal sealed record BaselineBlock(string Name, int Version, int Size, int? UpgradeFrom, ImmutableArray<BaselineField> Fields)
{
    /// <summary>The 0-based line of the block's <c>layout</c> line in the file (-1 for a block made from code).</summary>
    public int Line { get; init; } = -1;

    /// <summary>The 0-based line after the block's last line.</summary>
    public int EndLine { get; init; } = -1;

    /// <summary>The block of a layout as the code declares it.</summary>
    /// <param name="spec">The parsed layout.</param>
    /// <param name="upgradeFrom">The version it upgrades from, when it is a new version.</param>
    /// <returns>The block.</returns>
    public static BaselineBlock From(LayoutSpec spec, int? upgradeFrom = null) => new(
        spec.DisplayName,
        spec.Version,
        spec.SizeInBytes,
        upgradeFrom,
        spec.Fields.AsImmutableArray()
            .OrderBy(f => f.Offset)
            .Select(f => new BaselineField(f.Name, TypeToken(f), f.Offset, f.SizeInBytes, f.IsBigEndian, f.FormerNames.AsImmutableArray()))
            .ToImmutableArray());

    /// <summary>The block's text: its lines, each ending with a newline.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append("layout ").Append(Name)
            .Append(" version=").Append(Version.ToString(CultureInfo.InvariantCulture))
            .Append(" size=").Append(Size.ToString(CultureInfo.InvariantCulture));
        if (UpgradeFrom is { } from)
        {
            text.Append(" upgrade-from=").Append(from.ToString(CultureInfo.InvariantCulture));
        }

        text.Append('\n');
        foreach (BaselineField field in Fields)
        {
            text.Append("  field ").Append(field.Format()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A field's type token: the fingerprint's type keyword, with lengths and nested layouts' names made readable.</summary>
    private static string TypeToken(FieldSpec field)
    {
        string length = field.Length > 0 ? "[" + field.Length.ToString(CultureInfo.InvariantCulture) + "]" : string.Empty;
        string nested = field.FingerprintType.Replace("layout(", field.DisplayTypeName + "{").Replace(")", "}");
        return field.Kind switch
        {
            FieldKind.Layout => nested,
            FieldKind.LayoutArray => "array(" + field.DisplayTypeName + "{" + Hex(field.FingerprintType) + "})" + length,
            FieldKind.VarList when field.IsLayoutList => "vlist(" + field.DisplayTypeName + "{" + Hex(field.FingerprintType) + "})",
            _ => field.FingerprintType + length,
        };
    }

    private static string Hex(string fingerprintType)
    {
        int start = fingerprintType.IndexOf("layout(", System.StringComparison.Ordinal) + 7;
        return fingerprintType.Substring(start, 16);
    }

    /// <summary>The type token with each <c>Name{HEX}</c> reduced to <c>{HEX}</c>.</summary>
    /// <param name="type">A type token.</param>
    /// <returns>The token without layout names.</returns>
    public static string WithoutLayoutNames(string type)
    {
        var result = new StringBuilder(type.Length);
        int nameStart = 0;
        for (int i = 0; i < type.Length; i++)
        {
            char c = type[i];
            if (c == '{')
            {
                result.Length = nameStart;
            }

            result.Append(c);
            if (c is '(' or '}' or '[' or ']' or ')')
            {
                nameStart = result.Length;
            }
        }

        return result.ToString();
    }
}

/// <summary>A parsed baseline file: its blocks and the problems of the lines that are not.</summary>
/// <param name="Blocks">The blocks, in file order.</param>
/// <param name="Problems">Each unreadable line (0-based) and why.</param>
internal sealed record BaselineFile(ImmutableArray<BaselineBlock> Blocks, ImmutableArray<(int Line, string Problem)> Problems)
{
    /// <summary>The blocks of one layout, latest version first.</summary>
    /// <param name="name">The layout's full name.</param>
    /// <returns>The blocks.</returns>
    public IEnumerable<BaselineBlock> Of(string name) => Blocks.Where(b => b.Name == name).OrderByDescending(b => b.Version);
}
