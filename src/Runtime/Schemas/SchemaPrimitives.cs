using System;

namespace Overlay.Schemas;

/// <summary>
/// The value types a schema names by code (<c>docs/formats.md</c>, Schemas): the C# keyword a
/// <see cref="Overlay.Layouts.LayoutField"/> carries, its width, and whether it is an integer.
/// </summary>
internal static class SchemaPrimitives
{
    // Index = code. Code 0 means "no value type" (strings, Guids, nested layouts).
    private static readonly (string Keyword, int Width, bool Integer, bool Signed)[] Table =
    [
        (string.Empty, 0, false, false),
        ("bool", 1, false, false),
        ("byte", 1, true, false),
        ("sbyte", 1, true, true),
        ("short", 2, true, true),
        ("ushort", 2, true, false),
        ("char", 2, false, false),
        ("int", 4, true, true),
        ("uint", 4, true, false),
        ("float", 4, false, true),
        ("long", 8, true, true),
        ("ulong", 8, true, false),
        ("double", 8, false, true),
        ("System.Half", 2, false, true),
    ];

    public const int Count = 14;

    public static bool IsValid(int code) => code is > 0 and < Count;

    public static string Keyword(int code) => Table[code].Keyword;

    public static int Width(int code) => Table[code].Width;

    public static bool IsInteger(int code) => IsValid(code) && Table[code].Integer;

    public static bool IsSigned(int code) => Table[code].Signed;

    public static bool IsFloatingPoint(int code) => code is 9 or 12 or 13;

    /// <summary>The code of a keyword, or 0.</summary>
    public static int Code(string? keyword)
    {
        if (keyword is null)
        {
            return 0;
        }

        // Generators before the display names wrote "global::System.Half".
        if (keyword.StartsWith("global::", StringComparison.Ordinal))
        {
            keyword = keyword[8..];
        }

        for (int i = 1; i < Count; i++)
        {
            if (string.Equals(Table[i].Keyword, keyword, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return 0;
    }
}
