using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Overlay.Generators.Model;

namespace Overlay.Generators.Parsing;

/// <summary>
/// The parts of a layout that say how it evolves: its declared <c>Version</c> and its fields'
/// <c>[DefaultValue]</c>s. Kept apart from the byte layout: neither changes the fingerprint. The
/// analyzers report a bad value (OVL210, OVL211) from the same helpers; the parser then leaves it
/// out, so generated code never holds a value the analyzers refuse.
/// </summary>
internal sealed partial class LayoutParser
{
    /// <summary>The attribute a field's default comes from: the BCL's, as Json.NET and XmlSerializer read it.</summary>
    public const string DefaultValueAttributeName = "System.ComponentModel.DefaultValueAttribute";

    /// <summary>The <c>Version</c> named argument of <c>[MappedLayout]</c>, or null when not given.</summary>
    /// <param name="layoutAttribute">The layout's <c>[MappedLayout]</c>.</param>
    /// <returns>The version as written (possibly negative: OVL210).</returns>
    public static int? DeclaredVersion(AttributeData? layoutAttribute) =>
        layoutAttribute?.NamedArguments.FirstOrDefault(a => a.Key == "Version").Value.Value is int version ? version : null;

    /// <summary>The <c>[MappedLayout]</c> attribute of a type, or null.</summary>
    /// <param name="type">A type.</param>
    /// <returns>The attribute.</returns>
    public static AttributeData? LayoutAttribute(INamedTypeSymbol type) => FindAttribute(type, MappedLayoutAttributeName);

    /// <summary>The field's <c>[DefaultValue]</c> attribute, or null.</summary>
    /// <param name="field">A layout field.</param>
    /// <returns>The attribute.</returns>
    public static AttributeData? DefaultValueAttribute(IFieldSymbol field) => FindAttribute(field, DefaultValueAttributeName);

    /// <summary>
    /// The field's <c>[DefaultValue]</c> as a C# expression of the type the field is stored as, or
    /// why it cannot be one.
    /// </summary>
    /// <param name="field">The field.</param>
    /// <param name="spec">The field as parsed.</param>
    /// <returns>Both null without the attribute; otherwise exactly one of them.</returns>
    public static (string? Expression, string? Problem) DefaultValue(IFieldSymbol field, FieldSpec spec)
    {
        AttributeData? attribute = DefaultValueAttribute(field);
        if (attribute is null)
        {
            return (null, null);
        }

        if (attribute.ConstructorArguments.Length != 1)
        {
            return (null, "takes one constant here (the (Type, string) form is not read)");
        }

        TypedConstant argument = attribute.ConstructorArguments[0];
        object? value = argument.Value;
        switch (spec.Kind)
        {
            case FieldKind.Utf8String or FieldKind.AsciiString:
                return value is string text ? StringDefault(text, spec) : (null, $"is not a string, but the field is a [FixedString]");

            case FieldKind.Enum:
                if (argument.Kind == TypedConstantKind.Enum && argument.Type?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) != spec.TypeName)
                {
                    return (null, $"is a value of '{argument.Type?.ToDisplayString()}', but the field is a '{spec.DisplayTypeName}'");
                }

                // Stored by the underlying integer, as schemas compare and convert enums.
                return NumberDefault(value, EnumUnderlying(spec.FingerprintType));

            case FieldKind.Primitive:
                return NumberDefault(value, spec.TypeName == "global::System.Half" ? "Half" : spec.TypeName);

            default:
                return (null, "is for numbers, bool, char, enums and fixed strings; this field is " + spec.Kind switch
                {
                    FieldKind.Guid => "a Guid",
                    FieldKind.Layout => "a nested layout",
                    FieldKind.ValueArray or FieldKind.LayoutArray => "an array",
                    _ => "variable-length",
                });
        }
    }

    private static string EnumUnderlying(string fingerprintType) => fingerprintType switch
    {
        "enum(u8)" => "byte",
        "enum(i8)" => "sbyte",
        "enum(i16)" => "short",
        "enum(u16)" => "ushort",
        "enum(i32)" => "int",
        "enum(u32)" => "uint",
        "enum(i64)" => "long",
        _ => "ulong",
    };

    private static (string?, string?) StringDefault(string text, FieldSpec spec)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (text.IndexOf('\0') >= 0)
        {
            return (null, "holds NUL, which ends a fixed string");
        }

        if (spec.Kind == FieldKind.AsciiString && text.Any(c => c > 0x7F))
        {
            return (null, "is not ASCII, but the field is an ASCII [FixedString]");
        }

        return bytes > spec.Length
            ? (null, $"takes {Format(bytes)} bytes, but the field holds {Format(spec.Length)}")
            : (SymbolDisplay.FormatLiteral(text, quote: true), null);
    }

    private static (string?, string?) NumberDefault(object? value, string keyword)
    {
        switch (keyword)
        {
            case "bool":
                return value is bool b ? (b ? "true" : "false", null) : (null, "is not a bool, but the field is");
            case "char":
                return value is char c ? (SymbolDisplay.FormatLiteral(c, quote: true), null) : (null, "is not a char, but the field is");
        }

        if (value is null or bool or char or string)
        {
            return (null, $"is not a number, but the field is stored as '{keyword}'");
        }

        bool integral = value is not (float or double);
        if (keyword is "float" or "double" or "Half")
        {
            double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            bool exact = integral
                ? IntegerFits(Convert.ToDecimal(value, CultureInfo.InvariantCulture), keyword)
                : keyword switch
                {
                    "double" => true,
                    "float" => double.IsNaN(number) || (double)(float)number == number,
                    _ => FitsHalf(number),
                };
            if (!exact)
            {
                return (null, $"{Format(value)} is not exactly a '{keyword}': give a value the field's type holds exactly");
            }

            return (FloatLiteral(number, keyword), null);
        }

        if (!integral)
        {
            return (null, $"is a floating-point value, but the field is stored as '{keyword}'");
        }

        decimal integer = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
        (decimal min, decimal max, string prefix, string suffix) = keyword switch
        {
            "byte" => (byte.MinValue, byte.MaxValue, "(byte)", string.Empty),
            "sbyte" => (sbyte.MinValue, sbyte.MaxValue, "(sbyte)", string.Empty),
            "short" => (short.MinValue, short.MaxValue, "(short)", string.Empty),
            "ushort" => (ushort.MinValue, ushort.MaxValue, "(ushort)", string.Empty),
            "int" => (int.MinValue, int.MaxValue, string.Empty, string.Empty),
            "uint" => (uint.MinValue, uint.MaxValue, string.Empty, "U"),
            "long" => (long.MinValue, long.MaxValue, string.Empty, "L"),
            _ => ((decimal)ulong.MinValue, (decimal)ulong.MaxValue, string.Empty, "UL"),
        };
        if (integer < min || integer > max)
        {
            return (null, $"{Format(value)} is outside the range of '{keyword}' ({min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)})");
        }

        string digits = integer.ToString(CultureInfo.InvariantCulture);

        // int.MinValue and long.MinValue cannot be written as a negated literal of their own type.
        if ((keyword == "int" && integer == int.MinValue) || (keyword == "long" && integer == long.MinValue))
        {
            return ($"{keyword}.MinValue", null);
        }

        return (prefix + digits + suffix, null);
    }

    private static string FloatLiteral(double number, string keyword)
    {
        string type = keyword == "Half" ? "double" : keyword;
        string literal = double.IsNaN(number) ? $"{type}.NaN"
            : double.IsPositiveInfinity(number) ? $"{type}.PositiveInfinity"
            : double.IsNegativeInfinity(number) ? $"{type}.NegativeInfinity"
            : keyword == "float" ? ((float)number).ToString("R", CultureInfo.InvariantCulture) + "f"
            : number.ToString("R", CultureInfo.InvariantCulture) + "d";
        return keyword == "Half" ? $"(global::System.Half){literal}" : literal;
    }

    /// <summary>Whether a floating-point type holds the integer exactly: its significant bits fit the significand (Half 11, float 24, double 53).</summary>
    private static bool IntegerFits(decimal integer, string keyword)
    {
        ulong magnitude = integer < 0 ? (ulong)(-(integer + 1)) + 1 : (ulong)integer;
        if (keyword == "Half" && magnitude > 65504)
        {
            return false;
        }

        while (magnitude != 0 && (magnitude & 1) == 0)
        {
            magnitude >>= 1;
        }

        int bits = keyword switch { "Half" => 11, "float" => 24, _ => 53 };
        return magnitude < (1UL << bits);
    }

    /// <summary>Whether a half-precision float holds <paramref name="value"/> exactly (11-bit significand, exponents -14..15).</summary>
    private static bool FitsHalf(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value == 0)
        {
            return true;
        }

        double magnitude = Math.Abs(value);
        if (magnitude > 65504)
        {
            return false;
        }

        // The double's own exponent, read from its bits (no rounding of a logarithm); subnormal
        // halves step by 2^-24, normal ones keep 11 significant bits.
        int exponent = (int)((BitConverter.DoubleToInt64Bits(magnitude) >> 52) & 0x7FF) - 1023;
        double scaled = magnitude * Math.Pow(2, 10 - Math.Max(exponent, -14));
        return scaled == Math.Floor(scaled);
    }

    private static string Format(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
}
