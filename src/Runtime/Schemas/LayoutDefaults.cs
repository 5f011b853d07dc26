using System;
using System.Text;
using Overlay.Layouts;

namespace Overlay.Schemas;

/// <summary>
/// Writes fields' declared defaults (<see cref="LayoutField.DefaultValue"/>) into a record that an
/// older layout wrote without them (docs/formats.md §8.3): what new code sees for an appended field
/// instead of zero.
/// </summary>
internal static class LayoutDefaults
{
    /// <summary>Writes the default of every field of <paramref name="layout"/> that starts at or past <paramref name="storedSize"/>.</summary>
    /// <param name="layout">The current layout.</param>
    /// <param name="record">The record, <see cref="LayoutInfo.SizeInBytes"/> bytes; the stored prefix already copied in.</param>
    /// <param name="storedSize">The size of the record the file holds: fields before it came from the file.</param>
    public static void ApplyPast(LayoutInfo layout, Span<byte> record, long storedSize)
    {
        foreach (LayoutField field in layout.Fields)
        {
            if (field.DefaultValue is not null && field.Offset >= storedSize)
            {
                Write(field, record.Slice(field.Offset, field.SizeInBytes));
            }
        }
    }

    /// <summary>Writes <paramref name="field"/>'s default into its bytes (nothing when it has none).</summary>
    /// <param name="field">The field.</param>
    /// <param name="destination">Exactly the field's bytes.</param>
    /// <exception cref="InvalidOperationException">The default is not of the type the field is stored as (a hand-written <see cref="LayoutInfo"/>).</exception>
    public static void Write(LayoutField field, Span<byte> destination)
    {
        bool big = field.IsBigEndian;
        switch (field.DefaultValue)
        {
            case null:
                return;
            case string text when field.Kind is LayoutFieldKind.Utf8String or LayoutFieldKind.AsciiString && Encoding.UTF8.GetByteCount(text) <= destination.Length:
                destination.Clear();
                Encoding.UTF8.GetBytes(text, destination);
                return;
            case bool value when destination.Length == 1:
                destination[0] = value ? (byte)1 : (byte)0;
                return;
            case byte value when destination.Length == 1:
                destination[0] = value;
                return;
            case sbyte value when destination.Length == 1:
                destination[0] = (byte)value;
                return;
            case short value when destination.Length == 2:
                SchemaNumbers.WriteInteger(destination, 2, big, (ushort)value);
                return;
            case ushort value when destination.Length == 2:
                SchemaNumbers.WriteInteger(destination, 2, big, value);
                return;
            case char value when destination.Length == 2:
                SchemaNumbers.WriteInteger(destination, 2, big, value);
                return;
            case Half value when destination.Length == 2:
                SchemaNumbers.WriteInteger(destination, 2, big, BitConverter.HalfToUInt16Bits(value));
                return;
            case int value when destination.Length == 4:
                SchemaNumbers.WriteInteger(destination, 4, big, (uint)value);
                return;
            case uint value when destination.Length == 4:
                SchemaNumbers.WriteInteger(destination, 4, big, value);
                return;
            case float value when destination.Length == 4:
                SchemaNumbers.WriteInteger(destination, 4, big, BitConverter.SingleToUInt32Bits(value));
                return;
            case long value when destination.Length == 8:
                SchemaNumbers.WriteInteger(destination, 8, big, (ulong)value);
                return;
            case ulong value when destination.Length == 8:
                SchemaNumbers.WriteInteger(destination, 8, big, value);
                return;
            case double value when destination.Length == 8:
                SchemaNumbers.WriteInteger(destination, 8, big, BitConverter.DoubleToUInt64Bits(value));
                return;
            default:
                throw new InvalidOperationException($"The default of field {field.Name} ({field.DefaultValue.GetType().Name} {field.DefaultValue}) does not fit a {field.SizeInBytes}-byte {field.Kind} field.");
        }
    }
}
