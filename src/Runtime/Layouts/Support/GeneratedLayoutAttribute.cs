using System;
using System.ComponentModel;

namespace Overlay.Layouts.Support;

/// <summary>
/// Put by the generator on every layout it generated: the record's size and fingerprint as
/// metadata, so that the generator (for a layout nested from a referenced assembly) and the
/// analyzers read them without depending on the layout's member names, which its fields may take.
/// </summary>
/// <param name="sizeInBytes">The record's size in bytes.</param>
/// <param name="layoutFingerprint">The layout's fingerprint.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class GeneratedLayoutAttribute(int sizeInBytes, ulong layoutFingerprint) : Attribute
{
    /// <summary>The record's size in bytes.</summary>
    public int SizeInBytes { get; } = sizeInBytes;

    /// <summary>The layout's fingerprint.</summary>
    public ulong LayoutFingerprint { get; } = layoutFingerprint;
}
