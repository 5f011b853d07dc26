using System;
using System.IO;
using System.Text.Json.Nodes;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Tests.Differential;

/// <summary>
/// Opens the Overlay side of a sequence and replays, step by step, the concrete arguments the
/// Python driver used. Every outcome is put in the driver's canonical form: a value as
/// <c>"r:&lt;repr&gt;"</c> (bytes <c>b:hex</c>, integers, <c>None</c>, <c>True</c>/<c>False</c>), an
/// exception as <c>"e:&lt;.NET type name&gt;"</c> (<c>MapIOException:errno</c> for OS errors).
/// </summary>
internal sealed class OverlayExecutor : IDisposable
{
    private readonly SafeFileHandle? _handle;

    public OverlayExecutor(DiffSequence sequence)
    {
        MapSpec spec = sequence.Map;
        var access = (MapAccess)spec.Access;
        if (!spec.IsFile)
        {
            Map = spec.Private
                ? MemoryMap.Anonymous(spec.Length, flags: MapFlags.Private)
                : MemoryMap.Anonymous(spec.Length, access: access);
            return;
        }

        if (!spec.UseHandleConstructor)
        {
            Map = MemoryMap.Open(sequence.OverlayPath!, access, spec.Length, spec.Offset);
            return;
        }

        bool readOnly = access is MapAccess.Read or MapAccess.Copy;
        _handle = File.OpenHandle(sequence.OverlayPath!, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite);
        Map = spec.Private
            ? new MemoryMap(_handle, spec.Length, flags: MapFlags.Private, offset: spec.Offset, trackFile: spec.TrackFile)
            : new MemoryMap(_handle, spec.Length, access: access, offset: spec.Offset, trackFile: spec.TrackFile);
    }

    public MemoryMap Map { get; }

    /// <summary>The cursor and length after a step, as the driver reports them; null once closed.</summary>
    public string State => Map.IsClosed ? "null" : $"[{Map.Tell()},{Map.Length}]";

    /// <summary>The whole contents at the end, or null when closed.</summary>
    public string? Final => Map.IsClosed ? null : "b:" + Convert.ToHexStringLower(Map.GetSlice(null, null));

    public static string Category(Exception exception) => exception switch
    {
        MapIOException io => "MapIOException:" + io.ErrorNumber,
        _ => exception.GetType().Name,
    };

    /// <summary>Runs one step; returns its canonical outcome.</summary>
    public string Execute(string name, JsonArray args, int variant)
    {
        try
        {
            return "r:" + Canonical(Dispatch(name, args, variant));
        }
        catch (Exception exception) when (exception is not (NullReferenceException or AccessViolationException or IndexOutOfRangeException or InvalidCastException or FormatException))
        {
            return "e:" + Category(exception);
        }
    }

    public void Dispose()
    {
        Map.Dispose();
        _handle?.Dispose();
    }

    private object? Dispatch(string name, JsonArray a, int variant)
    {
        MemoryMap map = Map;
        switch (name)
        {
            case "len":
                return map.Length;
            case "size":
                return map.Size();
            case "tell":
                return variant % 2 == 0 ? map.Tell() : map.Position;
            case "seek":
                if (a.Count == 1)
                {
                    if (variant == 1)
                    {
                        map.Position = Long(a, 0);
                        return map.Position;
                    }

                    return map.Seek(Long(a, 0));
                }

                return map.Seek(Long(a, 0), (SeekOrigin)(int)Long(a, 1));
            case "seekable":
                return map.Seekable;
            case "closed":
                return map.IsClosed;
            case "read":
                if (a.Count == 0 || a[0] is null)
                {
                    return map.Read();
                }

                long count = Long(a, 0);
                if (variant == 1 && count is >= 0 and <= 1 << 20)
                {
                    var buffer = new byte[count];
                    int read = map.Read(buffer);
                    return buffer.AsSpan(0, read).ToArray();
                }

                return map.Read(count);
            case "read_byte":
                return (long)map.ReadByte();
            case "readline":
                return map.ReadLine();
            case "write":
                return (long)map.Write(Bytes(a, 0));
            case "write_byte":
                map.WriteByte(checked((byte)Long(a, 0)));
                return null;
            case "find":
                return map.Find(Bytes(a, 0), OptionalLong(a, 1), OptionalLong(a, 2));
            case "rfind":
                return map.RFind(Bytes(a, 0), OptionalLong(a, 1), OptionalLong(a, 2));
            case "getitem":
                return (long)map[Long(a, 0)];
            case "setitem":
                map[Long(a, 0)] = checked((byte)Long(a, 1));
                return null;
            case "getslice":
                if (variant == 1 && a[2] is null && AsRange(a) is Range range)
                {
                    return map[range];
                }

                return map.GetSlice(OptionalLong(a, 0), OptionalLong(a, 1), OptionalLong(a, 2));
            case "setslice":
                if (variant == 1 && a[2] is null && AsRange(a) is Range target)
                {
                    map[target] = Bytes(a, 3);
                    return null;
                }

                map.SetSlice(OptionalLong(a, 0), OptionalLong(a, 1), OptionalLong(a, 2), Bytes(a, 3));
                return null;
            case "move":
                map.Move(Long(a, 0), Long(a, 1), Long(a, 2));
                return null;
            case "flush":
                switch (a.Count)
                {
                    case 0:
                        map.Flush();
                        break;
                    case 1:
                        map.Flush(Long(a, 0));
                        break;
                    default:
                        map.Flush(Long(a, 0), Long(a, 1));
                        break;
                }

                return null;
            case "resize":
                map.Resize(Long(a, 0));
                return null;
            case "madvise":
                var advice = (MapAdvice)(int)Long(a, 0);
                switch (a.Count)
                {
                    case 1:
                        map.Advise(advice);
                        break;
                    case 2:
                        map.Advise(advice, Long(a, 1));
                        break;
                    default:
                        map.Advise(advice, Long(a, 1), OptionalLong(a, 2));
                        break;
                }

                return null;
            case "close":
                if (variant % 2 == 0)
                {
                    map.Close();
                }
                else
                {
                    map.Dispose();
                }

                return null;
            default:
                throw new InvalidOperationException("unknown operation " + name);
        }
    }

    /// <summary>Python's <c>[start:stop]</c> as a C# <see cref="Range"/>, when both bounds fit an <see cref="Index"/>.</summary>
    private static Range? AsRange(JsonArray a)
    {
        Index? start = AsIndex(OptionalLong(a, 0), Index.Start);
        Index? end = AsIndex(OptionalLong(a, 1), Index.End);
        return start is Index s && end is Index e ? new Range(s, e) : null;
    }

    private static Index? AsIndex(long? bound, Index whenNull) => bound switch
    {
        null => whenNull,
        >= 0 and <= int.MaxValue => new Index((int)bound.Value),
        < 0 and >= -int.MaxValue => new Index((int)-bound.Value, fromEnd: true),
        _ => null,
    };

    private static long Long(JsonArray a, int i) => a[i]!.GetValue<long>();

    private static long? OptionalLong(JsonArray a, int i) => i < a.Count && a[i] is JsonNode node ? node.GetValue<long>() : null;

    private static byte[] Bytes(JsonArray a, int i) => Convert.FromHexString((string)a[i]!["b"]!);

    private static string Canonical(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        byte[] bytes => "b:" + Convert.ToHexStringLower(bytes),
        _ => throw new InvalidOperationException("unexpected result " + value),
    };
}
