using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace Overlay.Tests.Differential;

/// <summary>
/// Random sequences of mmap operations. Arguments mix ordinary values with edges: the length
/// and the cursor plus or minus a little, negative indices, page multiples, extremes of
/// <see cref="long"/>, None bounds, zero steps. Arguments that depend on the state at the time
/// of the call are symbolic (<c>{"L": d}</c> = length + d, <c>{"N": d}</c> = -length + d,
/// <c>{"P": d}</c> = position + d, <c>{"R": d}</c> = length - position + d); the Python driver resolves them and reports the concrete
/// values, which the Overlay side then replays.
/// </summary>
internal sealed class SequenceGenerator
{
    private static readonly long Page = MemoryMap.PageSize;

    private static readonly (string Name, int Weight)[] Operations =
    [
        ("len", 2), ("size", 3), ("tell", 2), ("seek", 9), ("seekable", 1), ("closed", 1),
        ("read", 6), ("read_byte", 4), ("readline", 5), ("write", 7), ("write_byte", 4),
        ("find", 7), ("rfind", 5), ("getitem", 6), ("setitem", 5), ("getslice", 7),
        ("setslice", 7), ("move", 4), ("flush", 5), ("resize", 5), ("madvise", 4),
    ];

    private static readonly int TotalWeight = SumWeights();

    private readonly Random _random;
    private readonly bool _allowTrackFileFalse;
    private readonly long _offsetUnit;

    private SequenceGenerator(Random random, bool allowTrackFileFalse, long offsetUnit)
    {
        _random = random;
        _allowTrackFileFalse = allowTrackFileFalse;
        _offsetUnit = offsetUnit;
    }

    /// <summary>Sequence <paramref name="index"/> of the batch for <paramref name="seed"/>: each has its own generator, so one can be regenerated alone.</summary>
    /// <param name="seed">The batch's seed.</param>
    /// <param name="index">The sequence's number in the batch.</param>
    /// <param name="allowTrackFileFalse">Whether maps with trackfd=False may be generated (CPython 3.13+).</param>
    /// <param name="offsetUnit">
    /// The file offset a map may start at: the page size (Linux), or Windows' 64 KiB allocation
    /// granularity, which is also a multiple of Linux's page, so one sequence runs on both. With
    /// a larger unit the file gets that many bytes more in front, so that the mapped part is the
    /// same shape; the random draws are the same, so the page-size batch stays as it always was.
    /// </param>
    public static DiffSequence Generate(int seed, int index, bool allowTrackFileFalse, long offsetUnit = 0)
    {
        // Not HashCode.Combine: it is salted per process, and a seed must reproduce across runs.
        var random = new Random(unchecked((seed * 1_000_003) ^ (index * 7_919) ^ 0x0DD1FF));
        return new SequenceGenerator(random, allowTrackFileFalse, offsetUnit == 0 ? Page : offsetUnit).Sequence(index);
    }

    private static int SumWeights()
    {
        int total = 0;
        foreach (var (_, weight) in Operations)
        {
            total += weight;
        }

        return total;
    }

    private DiffSequence Sequence(int id)
    {
        MapSpec map = _random.Next(100) < 65 ? FileMap() : AnonymousMap();
        int count = _random.Next(100) < 10 ? _random.Next(1, 6) : _random.Next(8, 60);
        var ops = new List<OpSpec>(count + 4);
        for (int i = 0; i < count; i++)
        {
            ops.Add(Operation(PickName()));
        }

        // A quarter of the sequences close the map, mostly late, and keep going: everything must
        // then be "closed" on both sides, and a second close is a no-op.
        if (_random.Next(100) < 25)
        {
            int at = ops.Count - _random.Next(Math.Min(ops.Count, 6) + 1);
            ops.Insert(at, Operation("close"));
            int more = _random.Next(2, 8);
            for (int i = 0; i < more; i++)
            {
                ops.Add(Operation(_random.Next(10) == 0 ? "close" : PickName()));
            }
        }

        return new DiffSequence { Id = id, Map = map, Ops = ops };
    }

    private MapSpec FileMap()
    {
        int size = _random.Next(6) switch
        {
            0 => _random.Next(1, 16),
            1 => (int)Page + _random.Next(-2, 3),
            2 => (int)(Page * _random.Next(1, 4)) + _random.Next(-1, 2),
            _ => _random.Next(1, (int)(3 * Page) + 200),
        };
        byte[] content = Content(size);
        bool isPrivate = _random.Next(100) < 15;
        int access = isPrivate ? 0 : _random.Next(4);
        long offset = size > Page && _random.Next(100) < 35 ? Page : 0;
        long available = size - offset;
        if (offset != 0 && _offsetUnit != Page)
        {
            // The same map at the larger unit: the bytes past the first page now start there.
            var shifted = new byte[_offsetUnit - Page + content.Length];
            for (int i = 0; i < _offsetUnit - Page; i++)
            {
                shifted[i] = (byte)(i * 7);
            }

            content.CopyTo(shifted, _offsetUnit - Page);
            content = shifted;
            offset = _offsetUnit;
        }
        long length = _random.Next(100) < 60 ? 0 : _random.NextInt64(1, available + 1);
        bool trackFile = !_allowTrackFileFalse || _random.Next(100) >= 10;
        return new MapSpec
        {
            Kind = "file",
            Access = access,
            Private = isPrivate,
            TrackFile = trackFile,
            Offset = offset,
            Length = length,
            Content = content,
            UseHandleConstructor = isPrivate || !trackFile || _random.Next(2) == 0,
        };
    }

    private MapSpec AnonymousMap()
    {
        long length = _random.Next(4) switch
        {
            0 => _random.Next(1, 32),
            1 => Page + _random.Next(-1, 2),
            _ => _random.Next(1, (int)(3 * Page) + 100),
        };
        bool isPrivate = _random.Next(100) < 40;
        int access = isPrivate || _random.Next(100) < 50 ? 0 : _random.Next(1, 4);
        return new MapSpec { Kind = "anon", Access = access, Private = isPrivate, Length = length };
    }

    private byte[] Content(int size)
    {
        // A small alphabet with newlines makes find/readline hit; now and then any byte.
        var content = new byte[size];
        ReadOnlySpan<byte> alphabet = "ab\nc"u8;
        bool anyByte = _random.Next(4) == 0;
        for (int i = 0; i < size; i++)
        {
            content[i] = anyByte && _random.Next(3) == 0 ? (byte)_random.Next(256) : alphabet[_random.Next(alphabet.Length)];
        }

        return content;
    }

    private string PickName()
    {
        int roll = _random.Next(TotalWeight);
        foreach (var (name, weight) in Operations)
        {
            if (roll < weight)
            {
                return name;
            }

            roll -= weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    private OpSpec Operation(string name)
    {
        var args = new JsonArray();
        switch (name)
        {
            case "seek":
                args.Add(Position());
                if (_random.Next(100) < 75)
                {
                    int[] whences = [0, 1, 1, 2, 2, 0, 3, -1];
                    args.Add(whences[_random.Next(whences.Length)]);
                }

                break;
            case "read":
                if (_random.Next(100) < 85)
                {
                    args.Add(_random.Next(8) switch
                    {
                        0 => null,
                        1 => -1,
                        2 => Extreme(),
                        _ => Count(),
                    });
                }

                break;
            case "write":
                args.Add(Data());
                break;
            case "write_byte":
                args.Add(ByteValue());
                break;
            case "find":
            case "rfind":
                args.Add(Needle());
                int bounds = _random.Next(3);
                for (int i = 0; i < bounds; i++)
                {
                    args.Add(_random.Next(6) == 0 ? null : Position());
                }

                break;
            case "getitem":
                args.Add(Index());
                break;
            case "setitem":
                args.Add(Index());
                args.Add(ByteValue());
                break;
            case "getslice":
            case "setslice":
                args.Add(SliceBound());
                args.Add(SliceBound());
                args.Add(Step());
                if (name == "setslice")
                {
                    int delta = _random.Next(10) switch
                    {
                        < 7 => 0,
                        7 => 1,
                        8 => -1,
                        _ => _random.Next(-5, 6),
                    };
                    args.Add(new JsonObject { ["slice"] = delta, ["seed"] = _random.Next(256) });
                }

                break;
            case "move":
                args.Add(Position());
                args.Add(Position());
                args.Add(_random.Next(4) == 0 ? Position() : Count());
                break;
            case "flush":
                int flushArgs = _random.Next(3);
                if (flushArgs >= 1)
                {
                    args.Add(_random.Next(3) == 0 ? Position() : PageAligned());
                }

                if (flushArgs == 2)
                {
                    args.Add(_random.Next(5) switch
                    {
                        0 => -1,
                        1 => PageAligned(),
                        2 => Position(),
                        _ => Count(),
                    });
                }

                break;
            case "resize":
                args.Add(_random.Next(12) switch
                {
                    0 => 0,
                    1 => _random.Next(-3, 0),
                    2 => long.MinValue,
                    3 => Relative("L", _random.Next(-3, 4)),
                    4 or 5 => _random.Next(1, 40),
                    6 or 7 => Page * _random.Next(1, 4) + _random.Next(-1, 2),
                    _ => _random.Next(1, (int)(3 * Page) + 100),
                });
                break;
            case "madvise":
                int[] advice = [0, 1, 2, 3, 0, 1, 2, 3, 9999];
                args.Add(advice[_random.Next(advice.Length)]);
                int adviseArgs = _random.Next(3);
                if (adviseArgs >= 1)
                {
                    args.Add(_random.Next(3) == 0 ? Position() : PageAligned());
                }

                if (adviseArgs == 2)
                {
                    args.Add(_random.Next(8) switch
                    {
                        0 => null,
                        1 => -1,
                        2 => long.MaxValue,
                        3 => PageAligned(),
                        _ => Count(),
                    });
                }

                break;
        }

        return new OpSpec(name, args, _random.Next(4));
    }

    private static JsonObject Relative(string key, long delta) => new() { [key] = delta };

    /// <summary>A position-like value: in range, at the edges, out of range, negative.</summary>
    private JsonNode? Position() => _random.Next(20) switch
    {
        < 6 => _random.Next(-3, 14),
        < 10 => Relative("L", _random.Next(-3, 4)),
        < 12 => Relative("N", _random.Next(-2, 3)),
        < 15 => Relative("P", _random.Next(-3, 4)),
        < 17 => PageAligned(),
        < 18 => Extreme(),
        _ => _random.Next(-(int)(4 * Page), (int)(4 * Page)),
    };

    /// <summary>An index for m[i]: mostly near the ends, both signs.</summary>
    private JsonNode? Index() => _random.Next(10) switch
    {
        < 3 => _random.Next(-3, 10),
        < 5 => Relative("L", _random.Next(-3, 2)),
        < 7 => Relative("N", _random.Next(-1, 3)),
        7 => Relative("P", _random.Next(-1, 2)),
        8 => Extreme(),
        _ => _random.Next(-(int)(3 * Page), (int)(3 * Page)),
    };

    private JsonNode? SliceBound() => _random.Next(10) switch
    {
        < 3 => null,
        < 5 => _random.Next(-5, 12),
        < 7 => Relative("L", _random.Next(-3, 4)),
        7 => Relative("N", _random.Next(-3, 3)),
        8 => Extreme(),
        _ => Relative("P", _random.Next(-2, 3)),
    };

    private JsonNode? Step() => _random.Next(20) switch
    {
        < 7 => null,
        < 9 => 1,
        < 11 => 2,
        11 => 3,
        < 14 => -1,
        14 => -2,
        15 => -3,
        16 => 0,
        17 => _random.Next(4, 5000) * (_random.Next(2) == 0 ? 1 : -1),
        18 => long.MaxValue,
        _ => long.MinValue,
    };

    /// <summary>A count or length: small, up to the end, past the end, negative.</summary>
    private JsonNode? Count() => _random.Next(10) switch
    {
        < 4 => _random.Next(0, 12),
        < 6 => Relative("L", _random.Next(-2, 3)),
        6 => _random.Next(-3, 0),
        7 => Page * _random.Next(1, 4),
        8 => _random.Next(0, (int)(3 * Page)),
        _ => Relative("R", _random.Next(-2, 3)),
    };

    private long PageAligned() => Page * _random.Next(0, 4) + (_random.Next(5) == 0 ? _random.Next(-1, 2) : 0);

    private long Extreme()
    {
        long[] values = [long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1, int.MaxValue, int.MinValue, 1L << 62, -(1L << 62)];
        return values[_random.Next(values.Length)];
    }

    private int ByteValue() => _random.Next(4) == 0 ? (_random.Next(2) == 0 ? 0 : 255) : _random.Next(256);

    /// <summary>Bytes to write: literal and short, or as long as something in the state.</summary>
    private JsonObject Data()
    {
        if (_random.Next(2) == 0)
        {
            return new JsonObject { ["hex"] = Convert.ToHexStringLower(Content(_random.Next(0, 9))) };
        }

        JsonNode? length = _random.Next(3) switch
        {
            0 => Relative("L", _random.Next(-2, 2)),
            1 => _random.Next(0, 40),
            _ => Relative("R", _random.Next(-1, 2)),
        };
        return new JsonObject { ["n"] = length, ["seed"] = _random.Next(256) };
    }

    /// <summary>A needle: taken from the current contents (so it is usually found), or literal.</summary>
    private JsonObject Needle()
    {
        if (_random.Next(2) == 0)
        {
            return new JsonObject { ["take"] = Position(), ["k"] = _random.Next(0, 5) };
        }

        ReadOnlySpan<string> literals = ["", "61", "0a", "6162", "610a", "636363", "00", "ff"];
        return new JsonObject { ["hex"] = literals[_random.Next(literals.Length)] };
    }
}
