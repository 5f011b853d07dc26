using System;

namespace Overlay.Schemas;

/// <summary>
/// Writes one field of an upgraded record from the stored record: the user's conversion for a
/// change that can lose values (narrowing, a kind change), which <c>Upgrade</c> never does on its own.
/// Passed by the caller, or declared in the layout by an
/// <see cref="Overlay.Layouts.UpgradeConverterAttribute"/> method (listed in
/// <see cref="Overlay.Layouts.LayoutInfo.UpgradeConverters"/>); the caller's wins for its field.
/// </summary>
/// <param name="stored">The record as the file stores it, read by field name.</param>
/// <param name="field">The new field's bytes (zeroed), in the current layout's byte order.</param>
public delegate void FieldConverter(StoredRecord stored, Span<byte> field);
