using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Overlay.Schemas;

namespace Overlay.Fuzz;

/// <summary>
/// Embedded schemas (<c>docs/formats.md</c> §8): <see cref="LayoutSchema.Decode"/> of the bytes;
/// what decodes is compared both ways with every fuzz layout (<see cref="SchemaComparison"/>) and
/// encoded again, which must succeed (a schema the reader accepts, the writer must be able to write).
/// </summary>
public sealed class SchemaTarget : FuzzTarget
{
    // Not a static field: see HashIndexTarget.KeyFormat.
    private static LayoutInfo[] Layouts => [FuzzRecord.LayoutInfo, FuzzEntry.LayoutInfo, FuzzShape.LayoutInfo, FuzzPoint.LayoutInfo, FuzzKey.LayoutInfo];

    /// <inheritdoc/>
    public override string Name => "schema";

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, byte[] Bytes)> Seeds(string scratch)
    {
        var seeds = new List<(string, byte[])>();
        foreach (LayoutInfo layout in Layouts)
        {
            seeds.Add((layout.Name.Replace('.', '-'), LayoutSchema.Encode(layout)));
        }

        return seeds;
    }

    /// <inheritdoc/>
    public override FuzzOutcome Walk(string path, bool write) => Decode(File.ReadAllBytes(path));

    /// <summary>Decodes and walks one schema.</summary>
    /// <param name="bytes">The schema's bytes.</param>
    /// <returns>Whether it decoded.</returns>
    public static FuzzOutcome Decode(ReadOnlySpan<byte> bytes)
    {
        LayoutInfo decoded;
        try
        {
            decoded = LayoutSchema.Decode(bytes);
        }
        catch (InvalidDataException)
        {
            return FuzzOutcome.Refused;
        }

        long sum = Walk(decoded, depth: 0);
        foreach (LayoutInfo layout in Layouts)
        {
            sum += SchemaComparison.Compare(decoded, layout).Differences.Count;
            sum += SchemaComparison.Compare(layout, decoded).IsCompatible ? 1 : 0;
        }

        byte[] again = LayoutSchema.Encode(decoded);
        if (LayoutSchema.Decode(again).Fingerprint != decoded.Fingerprint)
        {
            throw new InvalidOperationException("a decoded schema encoded and decoded again describes another layout");
        }

        GC.KeepAlive(sum);
        return FuzzOutcome.Opened;
    }

    private static long Walk(LayoutInfo layout, int depth)
    {
        if (depth > 300)
        {
            throw new InvalidOperationException("nested layouts deeper than the 256 a schema can hold");
        }

        long sum = layout.SizeInBytes + layout.Name.Length;
        foreach (LayoutField field in layout.Fields)
        {
            sum += field.Offset + field.SizeInBytes + field.Name.Length + (int)field.Kind;
            if (field.Layout is { } nested)
            {
                sum += Walk(nested, depth + 1);
            }
        }

        return sum;
    }
}
