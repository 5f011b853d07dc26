using Overlay.Layouts;

namespace Overlay.Samples.RecordLog;

/// <summary>One reading, as the log stores it: 24 bytes, little-endian, every field aligned.</summary>
[MappedLayout(Size = 24)]
public partial struct SensorReading
{
    /// <summary>When it was taken, in Unix milliseconds.</summary>
    [Offset(0)]
    public long Timestamp;

    /// <summary>Which sensor.</summary>
    [Offset(8)]
    public int SensorId;

    /// <summary>Bit 0: written by this sample; bits 16-31: <see cref="Check"/> of the other fields.</summary>
    [Offset(12)]
    public uint Flags;

    /// <summary>The value read.</summary>
    [Offset(16)]
    public double Value;

    /// <summary>A 16-bit check of the timestamp, sensor and value: a record the writer did not finish (zeros, or some fields of it) fails it.</summary>
    /// <param name="reading">The reading.</param>
    /// <returns>The check.</returns>
    public static uint Check(in SensorReading reading)
    {
        ulong mixed = ((ulong)reading.Timestamp * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)reading.SensorId * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)System.BitConverter.DoubleToInt64Bits(reading.Value);
        mixed ^= mixed >> 29;
        mixed *= 0xBF58476D1CE4E5B9UL;
        return (uint)(mixed >> 48);
    }

    /// <summary>Whether the record is one this sample wrote completely.</summary>
    /// <param name="reading">The reading.</param>
    /// <returns>Whether its flags and check agree.</returns>
    public static bool IsWhole(in SensorReading reading) => (reading.Flags & 1) == 1 && reading.Flags >> 16 == Check(reading);
}

/// <summary>The log's header: when it was created and how many sensors write to it.</summary>
[MappedLayout(Size = 16)]
public partial struct LogHeader
{
    /// <summary>Creation time, Unix milliseconds.</summary>
    [Offset(0)]
    public long CreatedAt;

    /// <summary>The number of sensors.</summary>
    [Offset(8)]
    public int Sensors;
}
