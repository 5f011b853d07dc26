namespace Overlay.Schemas;

/// <summary>How a field differs between a stored schema and the current layout.</summary>
public enum SchemaChange
{
    /// <summary>The current layout has the field and the stored one does not.</summary>
    Added,

    /// <summary>The stored layout has the field and the current one does not.</summary>
    Removed,

    /// <summary>The field's offset changed.</summary>
    Moved,

    /// <summary>The field's kind changed (a number became a string, a layout became an array, …).</summary>
    KindChanged,

    /// <summary>The field's value type changed (an <c>int</c> became a <c>long</c>, an enum's underlying type changed, …).</summary>
    TypeChanged,

    /// <summary>The field's size changed.</summary>
    Resized,

    /// <summary>The field's byte order changed.</summary>
    ByteOrderChanged,

    /// <summary>The length of a fixed string or array changed.</summary>
    LengthChanged,

    /// <summary>The record's size changed.</summary>
    RecordResized,
}
