using System;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Schemas;

namespace Overlay.Samples.GameSave;

/// <summary>The sample's core, run by Program.cs and by the tests: three saves, two versions of the game.</summary>
public static class GameSaveDemo
{
    /// <summary>The application tag of a save: "GAMESAVE".</summary>
    public const ulong Tag = 0x45564153454D4147;

    public static readonly string[] Names = ["Aria", "Borin", "Cassia", "Dunmore", "Elspeth"];

    /// <summary>The heap section version 2 adds for the players' quest lists.</summary>
    public const string HeapName = "heap";

    /// <summary>Version 1 writes a save: its players and its settings, each section with its schema.</summary>
    public static void WriteVersion1Save(string path)
    {
        using MappedContainer save = MappedContainer.Create(path, Tag);
        RecordSection<V1.PlayerSave.View> players = save.AddRecords<V1.PlayerSave.View>("players");
        for (int i = 0; i < Names.Length; i++)
        {
            players.Append(new V1.PlayerSave
            {
                Id = i + 1,
                Name = Names[i],
                Class = (V1.Class)(i % 3),
                Level = (short)(10 * (i + 1)),
                Gold = 1_000_000 * (i + 1),
                Position = new V1.Vec3 { X = i, Y = 0, Z = -i },
            });
        }

        save.AddRecords<V1.Settings.View>("settings").Append(new V1.Settings { MusicVolume = 0.8f, Difficulty = 2 });
        save.Commit();
    }

    /// <summary>Version 2 loads a version-1 save: refused as it is (listing why), then upgraded, and each player given its quests (a [VarList]).</summary>
    public static void LoadInVersion2(string path, TextWriter output)
    {
        using (MappedContainer save = MappedContainer.Open(path, Tag))
        {
            try
            {
                save.Records<V2.PlayerSave.View>("players");
                throw new InvalidOperationException("version 2 opened a version-1 save without an upgrade");
            }
            catch (InvalidDataException e)
            {
                output.WriteLine("version 2 refuses the version-1 players as they are:");
                foreach (SchemaDifference difference in SchemaComparison.Compare(save.GetSchema("players")!, V2.PlayerSave.LayoutInfo).Differences)
                {
                    output.WriteLine($"  {(difference.IsCompatible ? "compatible" : "incompatible")}: {difference.Description}");
                }

                output.WriteLine($"  ({e.GetType().Name} from Records<V2.PlayerSave.View>: the file needs an upgrade)");
            }
        }

        // Crash-safe: a new file next to the save, flushed, renamed over it. The old save is intact
        // until the rename, and whole if anything fails.
        long converted = MappedContainer.Upgrade(path, Tag, new ContainerUpgrade().Records<V2.PlayerSave>("players"));
        output.WriteLine($"upgraded {converted} players to version 2 (Name -> DisplayName, Gold int -> long, Level short -> byte by the layout's [UpgradeConverter], capped at {V2.PlayerSave.MaxLevel})");

        using (MappedContainer save = MappedContainer.Open(path, Tag))
        {
            RecordSection<V2.PlayerSave.View> players = save.Records<V2.PlayerSave.View>("players");
            HeapSection heap = save.AddHeap(HeapName);
            for (int i = 0; i < players.Count; i++)
            {
                V2.PlayerSave.View player = players[i];
                player.Gold += 5_000_000_000L; // past int's range: version 2's Gold holds it
                if (player.Quests.Count(heap) != 0)
                {
                    throw new InvalidOperationException("an upgraded version-1 player has quests");
                }

                // The list is written into the heap, and the player's record holds its reference.
                V2.Quest[] quests = i % 2 == 0
                    ? [new V2.Quest { QuestId = 100 + i, State = V2.QuestState.Open }, new V2.Quest { QuestId = 1, State = V2.QuestState.Done }]
                    : [new V2.Quest { QuestId = 100 + i, State = V2.QuestState.Open }];
                player.Quests.Write(heap, quests);
            }

            save.Commit();
            for (int i = 0; i < players.Count; i++)
            {
                V2.PlayerSave player = players[i].Load(heap);
                int open = 0;
                foreach (V2.Quest.View quest in players[i].Quests.AsArray(heap))
                {
                    open += quest.State == V2.QuestState.Open ? 1 : 0;
                }

                output.WriteLine($"  {player.Id} {player.DisplayName,-8} {player.Class,-8} level {player.Level,3}  gold {player.Gold,13:N0}  quests {player.Quests.Length} ({open} open)");
            }
        }
    }

    /// <summary>The third case: settings grew by one appended field; each version reads the other's with no migration.</summary>
    public static void SettingsBothWays(string directory, TextWriter output)
    {
        // New code, old file: the file's records are shorter than version 2's; Load copies each
        // into a zeroed record, so the appended field reads as its zero.
        string old = Path.Combine(directory, "settings-v1.save");
        using (MappedContainer save = MappedContainer.Create(old, Tag))
        {
            save.AddRecords<V1.Settings.View>("settings").Append(new V1.Settings { MusicVolume = 0.5f, Difficulty = 1 });
            save.Commit();
        }

        using (MappedContainer save = MappedContainer.Open(old, Tag, Overlay.MapAccess.Read))
        {
            V2.Settings settings = save.Records<V2.Settings.ReadOnlyView>("settings").Load<V2.Settings>(0);
            output.WriteLine($"version 2 reads version 1's settings as they are: volume {settings.MusicVolume}, difficulty {settings.Difficulty}, subtitles {settings.Subtitles} (appended: zero)");
        }

        // Old code, new file: each record is read through its first 5 bytes (the file's stride is used).
        string @new = Path.Combine(directory, "settings-v2.save");
        using (MappedContainer save = MappedContainer.Create(@new, Tag))
        {
            save.AddRecords<V2.Settings.View>("settings").Append(new V2.Settings { MusicVolume = 0.25f, Difficulty = 3, Subtitles = true });
            save.Commit();
        }

        using (MappedContainer save = MappedContainer.Open(@new, Tag, Overlay.MapAccess.Read))
        {
            V1.Settings.ReadOnlyView settings = save.Records<V1.Settings.ReadOnlyView>("settings")[0];
            output.WriteLine($"version 1 reads version 2's settings as they are: volume {settings.MusicVolume}, difficulty {settings.Difficulty} (Subtitles is past its record)");
            output.WriteLine($"  the two layouts: {(SchemaComparison.Compare(V1.Settings.LayoutInfo, V2.Settings.LayoutInfo).IsCompatible ? "compatible" : "incompatible")} (append-only)");
        }
    }

    /// <summary>Everything, in <paramref name="directory"/>: returns 0.</summary>
    public static int Run(string directory, TextWriter output)
    {
        Directory.CreateDirectory(directory);
        string save = Path.Combine(directory, "slot1.save");
        File.Delete(save);
        WriteVersion1Save(save);
        output.WriteLine($"version 1 wrote {save}: {Names.Length} players and the settings, with their schemas");
        LoadInVersion2(save, output);
        foreach (string stale in new[] { "settings-v1.save", "settings-v2.save" })
        {
            File.Delete(Path.Combine(directory, stale));
        }

        SettingsBothWays(directory, output);
        output.WriteLine($"inspect the saves with: overlay inspect {save}");
        return 0;
    }
}
