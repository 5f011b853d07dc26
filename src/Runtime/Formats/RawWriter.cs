using System;
using System.IO;

namespace Overlay.Formats;

/// <summary>Appends bytes to a raw section of a <see cref="ContainerBuilder"/>.</summary>
public sealed class RawWriter
{
    private readonly BuilderSection _section;

    internal RawWriter(BuilderSection section) => _section = section;

    /// <summary>The bytes appended so far.</summary>
    public long Length => _section.Entry.Length;

    /// <summary>Appends <paramref name="bytes"/>, whole or not at all.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>Where in the section they start.</returns>
    /// <exception cref="InvalidOperationException">The builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    /// <exception cref="IOException">Writing a full chunk of the section out failed (a full disk, a file-size limit); nothing is appended (<see cref="Length"/> is as before), and the builder takes further bytes.</exception>
    public long Append(ReadOnlySpan<byte> bytes) => _section.Append(bytes);
}
