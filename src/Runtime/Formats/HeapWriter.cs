using System;
using System.Buffers.Binary;
using System.Buffers;
using System.IO;
using System.Text;
using System.Text.Unicode;

namespace Overlay.Formats;

/// <summary>Appends blobs to a heap of a <see cref="ContainerBuilder"/>, in the heap format (a block header before each, padded to 8).</summary>
public sealed class HeapWriter
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly BuilderSection _section;

    internal HeapWriter(BuilderSection section) => _section = section;

    internal bool BelongsTo(ContainerBuilder builder) => ReferenceEquals(_section.Owner, builder);

    /// <summary>The heap's end and count now, for <see cref="Rewind"/>.</summary>
    internal BuilderSection.Marker Mark() => _section.Mark();

    /// <summary>Drops every block appended since <paramref name="mark"/> (a record that failed after appending its first fields).</summary>
    internal void Rewind(BuilderSection.Marker mark) => _section.Rewind(mark);

    /// <summary>The blobs appended so far.</summary>
    public long Count => _section.Entry.Count;

    /// <summary>Appends a copy of <paramref name="blob"/>.</summary>
    /// <param name="blob">The bytes; empty gives the null reference and writes nothing.</param>
    /// <returns>The reference to store in a record.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The blob is longer than <see cref="int.MaxValue"/> - 16 bytes.</exception>
    /// <exception cref="IOException">Writing a full chunk of the section out failed (a full disk, a file-size limit); nothing of the value is appended, and the builder takes further values.</exception>
    /// <exception cref="InvalidOperationException">The builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public HeapRef Append(ReadOnlySpan<byte> blob)
    {
        _section.Owner.ThrowIfSealed();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blob.Length, int.MaxValue - ContainerFormat.HeapMinimumBlockSize, nameof(blob));
        if (blob.IsEmpty)
        {
            return default;
        }

        long payload = ContainerFormat.AlignUp(Math.Max(blob.Length, ContainerFormat.HeapGranule), ContainerFormat.HeapGranule);
        long total = ContainerFormat.HeapBlockHeaderSize + payload;
        long block = _section.Entry.Length;
        if (total <= BuilderSection.ChunkSize)
        {
            // Header and payload straight into the heap's chunk (zeroed: the padding is already there).
            Span<byte> span = _section.Claim((int)total);
            WriteHeader(span, (uint)total);
            blob.CopyTo(span[ContainerFormat.HeapBlockHeaderSize..]);
            _section.Commit((int)total);
        }
        else
        {
            // Appended in parts, each of which may write a chunk out: one that fails (a full disk)
            // takes the heap back to before the block rather than leave part of one.
            Span<byte> header = stackalloc byte[ContainerFormat.HeapBlockHeaderSize];
            WriteHeader(header, (uint)total);
            BuilderSection.Marker mark = _section.Mark();
            try
            {
                _section.Append(header);
                _section.Append(blob);
                _section.AppendZeros((int)(payload - blob.Length));
            }
            catch
            {
                _section.Rewind(mark);
                throw;
            }
        }

        _section.Entry.Count++;
        return new HeapRef(block + ContainerFormat.HeapBlockHeaderSize, blob.Length);
    }

    /// <summary>Appends the UTF-8 form of <paramref name="value"/> (what a <c>[VarString]</c> stores), encoded straight into the heap.</summary>
    /// <param name="value">The string; null and empty give the null reference and write nothing.</param>
    /// <returns>The reference to store in a record.</returns>
    /// <exception cref="ArgumentException">The string holds a lone surrogate, which has no UTF-8 form; nothing is appended.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Its UTF-8 form is longer than <see cref="int.MaxValue"/> - 16 bytes.</exception>
    /// <exception cref="IOException">Writing a full chunk of the section out failed (a full disk, a file-size limit); nothing of the value is appended, and the builder takes further values.</exception>
    /// <exception cref="InvalidOperationException">The builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public HeapRef AppendString(string? value) =>
        TryAppendString(value, out HeapRef reference) ? reference : throw new ArgumentException("The string holds a lone surrogate, which has no UTF-8 form.", nameof(value));

    /// <summary>Appends the UTF-8 form of <paramref name="value"/>, or nothing when it holds a lone surrogate (false).</summary>
    internal bool TryAppendString(string? value, out HeapRef reference)
    {
        _section.Owner.ThrowIfSealed();
        reference = default;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        // At most 3 UTF-8 bytes per UTF-16 unit: when that fits a chunk, encode into the claim and
        // keep what the encoder wrote (the rest of the claim stays zero, the block's padding).
        long most = (3L * value.Length) + ContainerFormat.HeapBlockHeaderSize + ContainerFormat.HeapGranule;
        if (most > BuilderSection.ChunkSize)
        {
            byte[]? bytes = Encode(value);
            if (bytes is null)
            {
                return false;
            }

            reference = Append(bytes);
            return true;
        }

        // Utf8.FromUtf16 validates as it encodes (one pass, ASCII vectorized) and reports a lone
        // surrogate as InvalidData, where the strict encoder threw from its fallback.
        Span<byte> span = _section.Claim((int)most);
        if (Utf8.FromUtf16(value, span[ContainerFormat.HeapBlockHeaderSize..], out _, out int length, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            _section.Abandon((int)most);
            return false;
        }

        int total = ContainerFormat.HeapBlockHeaderSize + (int)ContainerFormat.AlignUp(Math.Max(length, ContainerFormat.HeapGranule), ContainerFormat.HeapGranule);
        WriteHeader(span, (uint)total);
        long block = _section.Entry.Length;
        _section.Commit(total);
        _section.Entry.Count++;
        reference = new HeapRef(block + ContainerFormat.HeapBlockHeaderSize, length);
        return true;
    }

    private static byte[]? Encode(string value)
    {
        try
        {
            return s_strict.GetBytes(value);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }

    private static void WriteHeader(Span<byte> header, uint size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, size);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], ContainerFormat.HeapBlockAllocated);
    }
}
