using System;

namespace Overlay.Layouts;

/// <summary>
/// A seal check's hash as the records' bytes are fed to it (version 1 and 2's <c>Hasher</c>, version
/// 3's <see cref="SealStream"/>), so one read loop serves every version (a generic struct constraint:
/// no boxing, each call bound at compile time).
/// </summary>
internal interface ISealHash
{
    /// <summary>Hashes <paramref name="bytes"/> after every byte fed before.</summary>
    void Add(ReadOnlySpan<byte> bytes);
}
