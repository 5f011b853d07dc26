using System;
using System.Collections.Generic;
using Overlay.Layouts;
using Overlay.Schemas;
using Xunit;

namespace Overlay.Tests.Schemas;

/// <summary>Every widening the batch converter has a tight loop for, and one it has not (big-endian).</summary>
[MappedLayout]
public partial struct NarrowNumbers
{
    public int A;
    public uint B;
    public uint C;
    public float D;
    public int E;
    public short F;
    public ushort G;
    public ushort H;
    public byte I;
    public byte J;
    [BigEndian] public int K;
}

[MappedLayout(Version = 2)]
public partial struct WideNumbers
{
    public long A;
    public long B;
    public ulong C;
    public double D;
    public double E;
    public int F;
    public int G;
    public uint H;
    public int I;
    public uint J;
    public long K;
}

/// <summary>
/// <c>RecordConverter.ConvertMany</c> (what <c>Upgrade</c> runs, step by step over a batch) must
/// write exactly what <c>Convert</c> writes record by record, for every kind of step.
/// </summary>
public class BatchConversionTests
{
    public static IEnumerable<object[]> Pairs()
    {
        yield return [NarrowNumbers.LayoutInfo, WideNumbers.LayoutInfo, null!];
        yield return [PlayerV1.LayoutInfo, PlayerV3.LayoutInfo, null!];
        yield return [Everything.LayoutInfo, Everything.LayoutInfo, null!];
        yield return [NamedV1.LayoutInfo, NamedV2.LayoutInfo, null!];
        yield return [PlayerV1.LayoutInfo, PlayerWithDefaults.LayoutInfo, null!];
        yield return [PlayerV1.LayoutInfo, PlayerNarrowed.LayoutInfo, new Dictionary<string, FieldConverter>
        {
            ["Score"] = static (stored, field) => BitConverter.TryWriteBytes(field, (Half)stored.ReadDouble("Score")),
        }];
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ABatchIsConvertedExactlyAsEachRecordIs(LayoutInfo stored, LayoutInfo current, Dictionary<string, FieldConverter>? converters)
    {
        RecordConverter converter = RecordConverter.Create(stored, current, converters);
        var random = new Random(stored.Name.Length * 31 + current.Name.Length);
        foreach (int extra in new[] { 0, 5 })
        {
            int stride = stored.SizeInBytes + extra;
            const int Count = 257;
            byte[] source = new byte[stride * Count];
            random.NextBytes(source);
            MakeStringsValid(stored, source, stride, Count);

            byte[] one = new byte[current.SizeInBytes * Count];
            for (int i = 0; i < Count; i++)
            {
                converter.Convert(source.AsSpan(i * stride, stored.SizeInBytes), one.AsSpan(i * current.SizeInBytes, current.SizeInBytes));
            }

            byte[] batch = new byte[current.SizeInBytes * Count];
            random.NextBytes(batch);
            converter.ConvertMany(source, stride, batch, Count);
            Assert.Equal(one, batch);
        }
    }

    [Fact]
    public void ABatchThatDoesNotFitIsRefusedBeforeAnythingIsWritten()
    {
        RecordConverter converter = RecordConverter.Create(PlayerV1.LayoutInfo, PlayerV3.LayoutInfo);
        byte[] destination = new byte[PlayerV3.SizeInBytes * 2];
        destination.AsSpan().Fill(0xAB);
        Assert.Throws<ArgumentException>(() => converter.ConvertMany(new byte[8 * 3], 8, destination, 3));
        Assert.Throws<ArgumentException>(() => converter.ConvertMany(new byte[8 * 2], 4, destination, 2));
        Assert.Throws<ArgumentException>(() => converter.ConvertMany(new byte[8], 8, destination, 2));
        Assert.All(destination, b => Assert.Equal(0xAB, b));
    }

    // Random bytes are rarely a string a converter accepts: strings get short ASCII text.
    private static void MakeStringsValid(LayoutInfo layout, byte[] source, int stride, int count)
    {
        foreach (LayoutField field in layout.Fields)
        {
            if (field.Kind is LayoutFieldKind.Utf8String or LayoutFieldKind.AsciiString)
            {
                for (int i = 0; i < count; i++)
                {
                    Span<byte> text = source.AsSpan((i * stride) + field.Offset, field.SizeInBytes);
                    text.Clear();
                    text[0] = (byte)('a' + (i % 26));
                }
            }
        }
    }
}
