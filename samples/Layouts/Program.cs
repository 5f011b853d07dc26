// Layouts: a typed record file. Declares two [MappedLayout] structs, appends records through
// generated views (writes go straight to the mapped file), reopens the file read-only and reads
// them back, once more through a pinned span. Run it with: dotnet run --project samples/Layouts
using System;
using System.IO;
using Overlay;
using Overlay.Layouts;

string path = Path.Combine(Path.GetTempPath(), $"overlay-layouts-{Environment.ProcessId}.bin");
const ulong Magic = 0x5341_5645_4741_4D45; // "EMAGEVAS" little-endian: any constant of your format

try
{
    using (var file = RecordFile<SaveHeader.View, Player.View>.Create(path, Magic))
    {
        SaveHeader.View header = file.Header;
        header.Version = 3;
        header.Title = "Quick save";

        string[] names = ["Ada", "Grace", "Linus", "Ken"];
        for (int i = 0; i < names.Length; i++)
        {
            Player.View player = file.Append();
            player.Id = (uint)(i + 1);
            player.Health = 100f - (i * 12.5f);
            player.Name = names[i];
            Vec3.View position = player.Position; // a view into the record, not a copy
            position.X = i;
            position.Y = i * 2;
            position.Z = -i;
            MappedValueArray<ushort> slots = player.Slots;
            slots[0] = (ushort)(100 + i);
        }

        Console.WriteLine($"wrote {file.Count} players of {Player.SizeInBytes} bytes (fingerprint {Player.LayoutFingerprint:X16})");
    }

    Console.WriteLine($"file on disk: {new FileInfo(path).Length} bytes");

    using (var file = RecordFile<SaveHeader.ReadOnlyView, Player.ReadOnlyView>.Open(path, Magic, MapAccess.Read))
    {
        Console.WriteLine($"'{file.Header.Title}', version {file.Header.Version}, {file.Count} players:");
        foreach (Player.ReadOnlyView player in file.Records)
        {
            Vec3.ReadOnlyView p = player.Position;
            Console.WriteLine($"  #{player.Id} {player.Name,-6} health {player.Health,5:F1} at ({p.X}, {p.Y}, {p.Z}) slot0 {player.Slots[0]}");
        }

        // The hot-loop path: the mapping is held in place for the callback (Close and Resize
        // refuse meanwhile), and each access checks only the index.
        float totalHealth = file.Records.PinReadOnly(static (ReadOnlyMappedSpan<Player.ReadOnlyRef> players) =>
        {
            float total = 0;
            foreach (Player.ReadOnlyRef player in players)
            {
                total += player.Health;
            }

            return total;
        });
        Console.WriteLine($"total health (pinned): {totalHealth:F1}");

        Console.WriteLine("layout of Player:");
        foreach (LayoutField field in Player.LayoutInfo.Fields)
        {
            Console.WriteLine($"  {field.Offset,3} {field.Name,-8} {field.TypeName,-10} {field.SizeInBytes,3} bytes{(field.IsBigEndian ? " big-endian" : string.Empty)}");
        }
    }
}
finally
{
    File.Delete(path);
}

[MappedLayout(Size = 64)]
public partial struct Player
{
    [Offset(0)] public uint Id;
    [Offset(4)] public float Health;
    [Offset(8), FixedString(24)] public string Name;
    [Offset(32)] public Vec3 Position;
    [Offset(44), BigEndian] public int NetScore;
    [Offset(48), FixedArray(4)] public ushort[] Slots;
}

[MappedLayout]
public partial struct Vec3
{
    public float X;
    public float Y;
    public float Z;
}

[MappedLayout]
public partial struct SaveHeader
{
    public int Version;
    [FixedString(32)] public string Title;
}
