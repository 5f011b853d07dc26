using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Overlay.Tool.Records;

/// <summary>Writes decoded values as text (tables, <c>--where</c>) and as JSON; invariant culture, round-trippable numbers.</summary>
internal static class ValueText
{
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        RecordValue r => "{" + string.Join(", ", r.Fields.Select(f => f.Key + "=" + Format(f.Value))) + "}",
        List<object?> list => "[" + string.Join(", ", list.Select(Format)) + "]",
        _ => value.ToString() ?? string.Empty,
    };

    public static void WriteJson(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case long l: json.WriteNumberValue(l); break;
            case ulong u: json.WriteNumberValue(u); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case double d: json.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case string s: json.WriteStringValue(s); break;
            case RecordValue r:
                json.WriteStartObject();
                foreach (KeyValuePair<string, object?> field in r.Fields)
                {
                    json.WritePropertyName(field.Key);
                    WriteJson(json, field.Value);
                }

                json.WriteEndObject();
                break;
            case List<object?> list:
                json.WriteStartArray();
                foreach (object? item in list)
                {
                    WriteJson(json, item);
                }

                json.WriteEndArray();
                break;
            default: json.WriteStringValue(value.ToString()); break;
        }
    }

    /// <summary>Whether <paramref name="value"/> equals the text of a <c>--where</c>: numbers by value (<c>1</c> matches <c>1.0</c>), the rest by their text.</summary>
    public static bool Matches(object? value, string expected)
    {
        switch (value)
        {
            case long l when long.TryParse(expected, NumberStyles.Integer, CultureInfo.InvariantCulture, out long e): return l == e;
            case ulong u when ulong.TryParse(expected, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong e): return u == e;
            case long or ulong or double when double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out double e):
                return System.Convert.ToDouble(value, CultureInfo.InvariantCulture) == e;
            default: return Format(value) == expected;
        }
    }

    public static string Hex(ulong value) => "0x" + value.ToString("X16", CultureInfo.InvariantCulture);

    public static string Json(System.Action<Utf8JsonWriter> write)
    {
        using var buffer = new System.IO.MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
