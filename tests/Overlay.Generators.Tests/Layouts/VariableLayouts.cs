using Overlay.Layouts;

namespace Overlay.Generators.Tests.Layouts;

/// <summary>A log entry: a fixed id, a message of any length and a blob, the last two in a heap.</summary>
[MappedLayout]
public partial struct LogEntry
{
    public long Id;
    [VarString] public string Message;
    [VarBytes] public byte[] Payload;
    public int Level;
}
