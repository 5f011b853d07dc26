using System;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Layouts;

namespace Overlay.Tool.Tests;

/// <summary>The files the tests inspect, written by the runtime itself.</summary>
internal static class Files
{
    public const ulong Tag = 0x5F4C4F4F545F5654; // any tag: the tool does not need to know it

    public static PlayerV1 Player(int i) => new()
    {
        Id = i,
        Score = i * 1.5f,
        Name = $"player-{i}",
        Position = new Vec2 { X = i, Y = -i },
        Rank = i % 3 == 0 ? Rank.Gold : Rank.Bronze,
    };

    /// <summary>A container: 'players' (PlayerV1 records), 'log' (records with heap strings), 'heap', 'raw'.</summary>
    public static string Container(string path, int players = 50)
    {
        using MappedContainer container = MappedContainer.Create(path, Tag);
        RecordSection<PlayerV1.View> section = container.AddRecords<PlayerV1.View>("players");
        for (int i = 0; i < players; i++)
        {
            section.Append(Player(i));
        }

        HeapSection heap = container.AddHeap("heap");
        RecordSection<LogLine.View> log = container.AddRecords<LogLine.View>("log");
        for (int i = 0; i < 3; i++)
        {
            LogLine.View line = log.Append();
            line.Time = 1000 + i;
            line.Message.Write(heap, $"line {i}: héllo");
        }

        HeapRef freed = heap.Allocate("freed soon"u8);
        heap.Free(freed);
        container.AddRaw("raw").Append("raw bytes"u8);
        container.Commit();
        return path;
    }

    /// <summary>A container of 'players' only, in the version-1 layout.</summary>
    public static string Version1(string path)
    {
        using MappedContainer container = MappedContainer.Create(path, Tag);
        container.AddRecords<PlayerV1.View>("players").Append(Player(1));
        container.Commit();
        return path;
    }

    /// <summary>A container of 'players' in the appended layout.</summary>
    public static string Appended(string path)
    {
        using MappedContainer container = MappedContainer.Create(path, Tag);
        RecordSection<PlayerAppended.View> section = container.AddRecords<PlayerAppended.View>("players");
        section.Append(new PlayerAppended { Id = 1, Gold = 5, Name = "a" });
        container.Commit();
        return path;
    }

    /// <summary>A container of 'players' in the version-2 layout.</summary>
    public static string Version2(string path)
    {
        using MappedContainer container = MappedContainer.Create(path, Tag);
        container.AddRecords<PlayerV2.View>("players").Append(new PlayerV2 { Id = 1, Points = 2, Name = "b" });
        container.Commit();
        return path;
    }

    public static string RecordFile(string path, int records)
    {
        using var file = RecordFile<Vec2.View, Price.View>.Create(path, 0x4543495250UL);
        for (int i = 0; i < records; i++)
        {
            file.Append(new Price { Amount = i + 0.5, Stock = i });
        }

        file.Flush();
        return path;
    }

    public const ulong PlayersMagic = 0x53524559414C5050; // "PPLAYERS"

    /// <summary>A record file of <paramref name="records"/> players in the version-1 layout, under a Vec2 header (3, 4).</summary>
    public static string PlayersRecordFile(string path, int records, Func<int, PlayerV1>? player = null)
    {
        using var file = RecordFile<Vec2.View, PlayerV1.View>.Create(path, PlayersMagic);
        Vec2.View header = file.Header;
        header.X = 3;
        header.Y = 4;
        for (int i = 0; i < records; i++)
        {
            file.Append((player ?? Player)(i));
        }

        file.Flush();
        return path;
    }

    public static string HashIndex(string path, int entries)
    {
        using var index = MappedHashIndex<ulong, Price.View>.Create(path);
        for (ulong i = 0; i < (ulong)entries; i++)
        {
            index.Set(i * 7, new Price { Amount = i, Stock = (int)i });
        }

        index.Flush();
        return path;
    }

    /// <summary>
    /// Keys 0, 3, 6, ... with their Price; <paramref name="version"/> 1 writes the Eytzinger summary the
    /// runtime still reads (its builder's internal switch, which the runtime's own tests use too).
    /// </summary>
    public static string SortedIndex(string path, int entries, uint version = SortedIndexHeader.Version)
    {
        using var builder = new SortedIndexBuilder<ulong, Price.View>() { FormatVersion = version };
        for (ulong i = 0; i < (ulong)entries; i++)
        {
            builder.Add(i * 3, new Price { Amount = i, Stock = (int)i });
        }

        builder.Build(path);
        return path;
    }

    /// <summary>
    /// <paramref name="entries"/> Guid keys (compared as bytes, so the tool checks their order) from a
    /// seeded generator, no values; the same entries for every <paramref name="version"/>.
    /// </summary>
    public static string SortedGuidIndex(string path, int entries, uint version = SortedIndexHeader.Version)
    {
        var random = new Random(entries);
        using var builder = new SortedIndexBuilder<Guid, NoValue>() { FormatVersion = version };
        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < entries; i++)
        {
            random.NextBytes(bytes);
            builder.Add(new Guid(bytes));
        }

        builder.Build(path);
        return path;
    }
}
