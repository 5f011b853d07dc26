using System.Collections.Generic;

namespace Overlay.Tool.Files;

/// <summary>
/// A record file or an index, read by the tool itself from its documented header (these open only
/// through generic types the tool does not have): the header's fields, what is wrong with them, and
/// a window of entries as stored bytes (and, for a record file that embeds its schemas, decoded).
/// </summary>
/// <param name="Kind">The file's kind.</param>
/// <param name="Header">The header's fields, by their documented names, in file order.</param>
/// <param name="Problems">Every check that failed (empty for a sound file).</param>
/// <param name="Entries">The entries in the window: their position and bytes (records; or key and value).</param>
/// <param name="Total">How many entries the file holds (as far as its checked header says).</param>
internal sealed record PlainFile(
    FileKind Kind,
    List<KeyValuePair<string, object>> Header,
    List<string> Problems,
    List<PlainEntry> Entries,
    long Total);

/// <summary>One record or index entry as hex.</summary>
/// <param name="Position">The record index, or the slot of a hash entry.</param>
/// <param name="Key">The key's bytes (indexes), or null.</param>
/// <param name="Value">The record's or the value's bytes.</param>
/// <param name="Fields">The record decoded by the file's own schema (<c>Id=1, Score=2</c>), or null.</param>
internal sealed record PlainEntry(long Position, string? Key, string Value, string? Fields = null);
