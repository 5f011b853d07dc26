using System;
using Overlay.Layouts;

namespace Overlay.Formats;

/// <summary>Appends records to a section of a <see cref="ContainerBuilder"/>.</summary>
/// <typeparam name="TRecord">The section's layout.</typeparam>
public sealed class RecordsWriter<TRecord>
    where TRecord : struct, IMappedLayout<TRecord>
{
    private readonly BuilderSection _section;
    private readonly byte[] _buffer;

    internal RecordsWriter(BuilderSection section)
    {
        _section = section;
        _buffer = new byte[section.Entry.Stride];
    }

    /// <summary>The records appended so far.</summary>
    public long Count => _section.Entry.Count;

    /// <summary>Appends a copy of <paramref name="value"/>; a value the layout refuses appends nothing.</summary>
    /// <param name="value">The record.</param>
    /// <returns>Its index.</returns>
    /// <exception cref="ArgumentException">The layout's <c>Store</c> refused the value.</exception>
    /// <exception cref="InvalidOperationException">The builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public long Append(in TRecord value)
    {
        _section.Owner.ThrowIfSealed();
        Array.Clear(_buffer);
        TRecord.Store(_buffer, value);
        _section.Append(_buffer);
        return _section.Entry.Count++;
    }
}
