using System;
using Overlay.Layouts;
using Overlay.Schemas;

// Layouts that declare their upgrade conversions ([UpgradeConverter]), for DeclaredConverterTests:
// upgrades from PlayerV1 (int Id, float Score) need no converter passed.
namespace Overlay.Tests.Schemas;

/// <summary>Score narrowed to Half, its conversion a method that returns the value.</summary>
[MappedLayout]
public partial struct PlayerHalfScore
{
    public int Id;
    public Half Score;

    [UpgradeConverter(nameof(Score))]
    private static Half ScoreFromStored(StoredRecord stored) => (Half)stored.ReadDouble("Score");
}

/// <summary>Id narrowed to a big-endian short (a value the generated code stores in that order), Score narrowed by a method that writes the bytes.</summary>
[MappedLayout]
public partial struct PlayerShortId
{
    [BigEndian] public short Id;
    public Half Score;

    [UpgradeConverter(nameof(Id))]
    private static short IdFromStored(StoredRecord stored) => (short)Math.Clamp(stored.ReadInt64("Id"), short.MinValue, short.MaxValue);

    [UpgradeConverter(nameof(Score))]
    private static void ScoreBytes(StoredRecord stored, Span<byte> field) => BitConverter.TryWriteBytes(field, (Half)(stored.ReadDouble("Score") * 2));
}

/// <summary>A declared conversion that refuses a value (a negative id): the upgrade fails, the file stays as it was.</summary>
[MappedLayout]
public partial struct PlayerCheckedId
{
    public ushort Id;
    public float Score;

    [UpgradeConverter(nameof(Id))]
    private static ushort IdFromStored(StoredRecord stored) => checked((ushort)stored.ReadInt64("Id"));
}
