using System;
using Overlay.Schemas;

namespace Overlay.Layouts;

// Copies out of the file, whatever version of the layouts wrote it: the one way to read a file an
// older, shorter layout wrote without upgrading it (docs/formats.md §8.3).
public sealed partial class RecordFile<THeaderView, TRecordView>
{
    /// <summary>
    /// A copy of the record at <paramref name="index"/>. In a file written by an older version of
    /// the layout, the fields it lacks read as their <c>[DefaultValue]</c>, or zero; only the file's
    /// record size is read, never the next record.
    /// </summary>
    /// <typeparam name="TRecord">The layout of <typeparamref name="TRecordView"/>.</typeparam>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TRecord"/> is another layout than <typeparamref name="TRecordView"/>'s.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the records.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public TRecord Load<TRecord>(long index)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        ThrowIfDisposed();
        CheckRecordLayout<TRecord>();
        if ((ulong)index >= (ulong)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The index is outside the {_count} records.");
        }

        return Copy<TRecord>(_recordsOffset + (index * _stride), _stride);
    }

    /// <summary>
    /// A copy of the header. In a file written by an older version of the header layout, the fields
    /// it lacks read as their <c>[DefaultValue]</c>, or zero.
    /// </summary>
    /// <typeparam name="THeader">The layout of <typeparamref name="THeaderView"/>.</typeparam>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="THeader"/> is another layout than <typeparamref name="THeaderView"/>'s.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public THeader LoadHeader<THeader>()
        where THeader : struct, IMappedLayout<THeader>
    {
        ThrowIfDisposed();
        if (THeader.SizeInBytes != THeaderView.SizeInBytes || THeader.LayoutFingerprint != THeaderView.LayoutFingerprint)
        {
            throw new ArgumentException($"{typeof(THeader).FullName} is not the layout of {typeof(THeaderView).FullName}.", nameof(THeader));
        }

        return Copy<THeader>(_headerOffset, _headerSize);
    }

    private TLayout Copy<TLayout>(long offset, long stored)
        where TLayout : struct, IMappedLayout<TLayout>
    {
        int size = TLayout.SizeInBytes;
        byte[] buffer = new byte[size];
        int read = (int)Math.Min(size, stored);
        _map.ReadAt(offset, buffer.AsSpan(0, read));
        if (read < size)
        {
            LayoutDefaults.ApplyPast(TLayout.LayoutInfo, buffer, read);
        }

        return TLayout.Load(buffer);
    }
}
