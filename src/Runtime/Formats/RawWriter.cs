using System;

namespace Overlay.Formats;

/// <summary>Appends bytes to a raw section of a <see cref="ContainerBuilder"/>.</summary>
public sealed class RawWriter
{
    private readonly BuilderSection _section;

    internal RawWriter(BuilderSection section) => _section = section;

    /// <summary>The bytes appended so far.</summary>
    public long Length => _section.Entry.Length;

    /// <summary>Appends <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>Where in the section they start.</returns>
    /// <exception cref="InvalidOperationException">The builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public long Append(ReadOnlySpan<byte> bytes) => _section.Append(bytes);
}
