using Overlay.Tool.Records;

namespace Overlay.Tool.Commands;

/// <summary>What <c>overlay inspect</c> was asked: which section, which window of records, which records.</summary>
internal sealed record InspectOptions(string File, bool Json, string? Section, long Offset, long Count, RecordFilter Filter);
