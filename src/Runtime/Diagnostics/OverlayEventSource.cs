using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Tracing;

namespace Overlay.Diagnostics;

/// <summary>
/// Overlay's audit events (the counterpart of Python's <c>mmap.__new__</c> audit hook).
/// Listen with an <see cref="EventListener"/> for the source named <c>Overlay-MemoryMap</c>.
/// </summary>
[EventSource(Name = SourceName)]
public sealed class OverlayEventSource : EventSource
{
    /// <summary>The name listeners subscribe to.</summary>
    public const string SourceName = "Overlay-MemoryMap";

    /// <summary>The id of <see cref="MapCreated"/>.</summary>
    public const int MapCreatedEventId = 1;

    /// <summary>The one instance.</summary>
    public static readonly OverlayEventSource Log = new();

    private OverlayEventSource()
    {
    }

    /// <summary>
    /// A map was created. <paramref name="file"/> is the mapped file's path (empty for anonymous
    /// memory or when unknown), <paramref name="fileDescriptor"/> the descriptor given (-1 for
    /// anonymous memory), <paramref name="access"/> the <see cref="MapAccess"/> as a name.
    /// </summary>
    [Event(MapCreatedEventId, Level = EventLevel.Informational, Message = "mapped {0} (fd {1}): length {2}, access {3}, offset {4}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Every argument is a string or a primitive, which the trimmer keeps.")]
    public unsafe void MapCreated(string file, int fileDescriptor, long length, string access, long offset)
    {
        fixed (char* filePointer = file)
        fixed (char* accessPointer = access)
        {
            EventData* data = stackalloc EventData[5];
            data[0] = new EventData { DataPointer = (nint)filePointer, Size = (file.Length + 1) * sizeof(char) };
            data[1] = new EventData { DataPointer = (nint)(&fileDescriptor), Size = sizeof(int) };
            data[2] = new EventData { DataPointer = (nint)(&length), Size = sizeof(long) };
            data[3] = new EventData { DataPointer = (nint)accessPointer, Size = (access.Length + 1) * sizeof(char) };
            data[4] = new EventData { DataPointer = (nint)(&offset), Size = sizeof(long) };
            WriteEventCore(MapCreatedEventId, 5, data);
        }
    }
}
