using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace Overlay.Tests.Differential;

/// <summary>Which map a sequence opens; both sides open the same kind over their own copy of the file.</summary>
internal sealed class MapSpec
{
    /// <summary>"file" or "anon".</summary>
    public required string Kind { get; init; }

    /// <summary>Python's ACCESS_* value (0 Default, 1 Read, 2 Write, 3 Copy); MapAccess has the same numbers.</summary>
    public required int Access { get; init; }

    /// <summary>Opened with flags=MAP_PRIVATE (and ACCESS_DEFAULT) instead of an access.</summary>
    public bool Private { get; init; }

    /// <summary>False: Python's trackfd=False, Overlay's trackFile: false (file maps only).</summary>
    public bool TrackFile { get; init; } = true;

    /// <summary>The file offset: 0, or the page size (or Windows' 64 KiB granularity, for a batch both back ends run).</summary>
    public long Offset { get; init; }

    /// <summary>The length asked for (0 = to the end of the file); for anonymous maps the length.</summary>
    public long Length { get; init; }

    /// <summary>The initial file contents (file maps).</summary>
    public byte[]? Content { get; init; }

    /// <summary>Overlay side: open through the SafeFileHandle constructor rather than MemoryMap.Open.</summary>
    public bool UseHandleConstructor { get; init; }

    public bool IsFile => Kind == "file";

    public override string ToString() =>
        IsFile
            ? $"file(size={Content!.Length}, access={(MapAccess)Access}{(Private ? ", flags=MAP_PRIVATE" : "")}, offset={Offset}, length={Length}, trackFile={TrackFile}, {(UseHandleConstructor ? "handle ctor" : "Open")})"
            : $"anonymous(length={Length}, {(Private ? "flags=MAP_PRIVATE" : $"access={(MapAccess)Access}")})";
}

/// <summary>One operation: Python's name, symbolic arguments (resolved by the driver) and a variant picking among equivalent Overlay APIs.</summary>
internal sealed record OpSpec(string Name, JsonArray Args, int Variant);

/// <summary>A map and the operations to run on it.</summary>
internal sealed class DiffSequence
{
    public required int Id { get; init; }

    public required MapSpec Map { get; init; }

    public required List<OpSpec> Ops { get; init; }

    /// <summary>The copy of the file Python maps.</summary>
    public string? PythonPath { get; set; }

    /// <summary>The copy of the file Overlay maps.</summary>
    public string? OverlayPath { get; set; }

    /// <summary>The sequence as the driver reads it.</summary>
    public JsonObject ToJson()
    {
        var ops = new JsonArray();
        foreach (OpSpec op in Ops)
        {
            ops.Add(new JsonObject { ["op"] = op.Name, ["args"] = op.Args.DeepClone() });
        }

        var json = new JsonObject
        {
            ["id"] = Id,
            ["kind"] = Map.Kind,
            ["access"] = Map.Access,
            ["private"] = Map.Private,
            ["trackfd"] = Map.TrackFile,
            ["offset"] = Map.Offset,
            ["length"] = Map.Length,
            ["ops"] = ops,
        };
        if (PythonPath is not null)
        {
            json["pyPath"] = PythonPath;
        }

        return json;
    }
}
