using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Indexes;

/// <summary>
/// Where <see cref="HashIndexBuilder{TKey, TValue}"/> writes a table: a file of its own, or a
/// container's section (<c>MappedContainer.AddHashIndex(name, builder)</c>). Offsets are relative
/// to the table's start (its header).
/// </summary>
internal abstract class HashTableSink
{
    /// <summary>Makes room for a table of <paramref name="regionLength"/> bytes, before each attempt (a retry at twice the capacity asks for more).</summary>
    public abstract void Reserve(long regionLength);

    /// <summary>Where the table starts in its file (after <see cref="Reserve"/>): the builder lines its writes up with the file's 2 MiB boundaries.</summary>
    public virtual long FileOffset => 0;

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> of the table.</summary>
    public abstract void Write(ReadOnlySpan<byte> data, long offset);
}

/// <summary>A table in a file of its own, which grows as it is written.</summary>
internal sealed class FileTableSink(SafeFileHandle file) : HashTableSink
{
    public override void Reserve(long regionLength)
    {
    }

    public override void Write(ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(file, data, offset);
}
