using System;
using System.ComponentModel;

namespace Overlay.Layouts.Support;

/// <summary>Checks the arrays of a record before generated code stores it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FixedArrays
{
    /// <summary>Throws unless <paramref name="array"/> holds exactly <paramref name="length"/> elements.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="array">The field's value.</param>
    /// <param name="length">The field's <see cref="FixedArrayAttribute.Length"/>.</param>
    /// <param name="fieldName">The field's name, for the message.</param>
    /// <exception cref="ArgumentException">The array is null or has another length.</exception>
    public static void Validate<T>(T[]? array, int length, string fieldName)
    {
        if (array is null)
        {
            throw new ArgumentException($"Field {fieldName} is null but must hold {length} elements; nothing was written.", fieldName);
        }

        if (array.Length != length)
        {
            throw new ArgumentException($"Field {fieldName} holds {array.Length} elements but must hold {length}; nothing was written.", fieldName);
        }
    }
}
