using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Layouts;

namespace Overlay.Tests.Layouts;

/// <summary>Rewrites of a record file's bytes, by the documented format, for tests of what older or damaged files hold.</summary>
internal static class RecordFileBytes
{
    /// <summary>
    /// Rewrites a record file as one from before record files embedded schemas: the same 128 bytes
    /// of prefix with a prefix size of 128, then the header, padding and records. The counts and
    /// checks do not cover the prefix size or the region, so the file stays valid.
    /// </summary>
    public static void StripSchemas(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        RecordFilePrefix prefix = RecordFilePrefix.Read(bytes);
        long oldRecords = RecordFileFormat.RecordsOffset(prefix.PrefixSize, prefix.HeaderSize);
        long newRecords = RecordFileFormat.RecordsOffset(prefix.HeaderSize);
        byte[] stripped = new byte[newRecords + (bytes.Length - oldRecords)];
        bytes.AsSpan(0, RecordFileFormat.PrefixSize).CopyTo(stripped);
        BinaryPrimitives.WriteUInt32LittleEndian(stripped.AsSpan(RecordFileFormat.PrefixSizeOffset), RecordFileFormat.PrefixSize);
        bytes.AsSpan((int)prefix.PrefixSize, (int)prefix.HeaderSize).CopyTo(stripped.AsSpan(RecordFileFormat.PrefixSize));
        bytes.AsSpan((int)oldRecords).CopyTo(stripped.AsSpan((int)newRecords));
        File.WriteAllBytes(path, stripped);
    }
}
