using System;
using System.IO;
using Overlay.Layouts;

namespace Overlay.Schemas;

/// <summary>
/// A layout's schema in its compact binary form (<c>docs/formats.md</c>, Schemas): names, kinds,
/// offsets, sizes, byte orders, enums' underlying types, fixed strings and arrays, and every
/// nested layout. Files embed it so that tools and newer code read them without the code that
/// wrote them.
/// </summary>
public static class LayoutSchema
{
    /// <summary>Encodes <paramref name="layout"/> and every layout it nests.</summary>
    /// <param name="layout">The layout, usually a generated <c>LayoutInfo</c>.</param>
    /// <returns>The schema's bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The layout cannot be described: it nests itself, an enum lacks its underlying type, a type is
    /// not one a layout can hold, a name is too long, or it breaks a rule the reader checks.
    /// </exception>
    public static byte[] Encode(LayoutInfo layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        byte[] bytes = SchemaEncoder.Encode(layout);
        try
        {
            // What this writes, the reader must accept: a hand-built LayoutInfo with overlapping
            // fields or wrong sizes is refused here, not discovered in a file later.
            SchemaDecoder.Decode(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"{layout.Name} cannot be stored as a schema: {e.Message}", nameof(layout), e);
        }

        return bytes;
    }

    /// <summary>Decodes a schema, checking every number and name in it.</summary>
    /// <param name="bytes">The schema's bytes, exactly (no trailing bytes).</param>
    /// <returns>The root layout; nested layouts hang off its fields.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid schema (the message says why).</exception>
    public static LayoutInfo Decode(ReadOnlySpan<byte> bytes) => SchemaDecoder.Decode(bytes);
}
