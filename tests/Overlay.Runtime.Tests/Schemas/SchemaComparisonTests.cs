using System.Linq;
using Overlay.Layouts;
using Overlay.Schemas;
using Xunit;

namespace Overlay.Tests.Schemas;

public class SchemaComparisonTests
{
    [Fact]
    public void AnAppendedFieldIsCompatibleBothWays()
    {
        SchemaComparison forward = SchemaComparison.Compare(PlayerV1.LayoutInfo, PlayerV2.LayoutInfo);
        Assert.True(forward.IsCompatible);
        Assert.Equal(new[] { ("Gold", SchemaChange.Added), (string.Empty, SchemaChange.RecordResized) }, forward.Differences.Select(d => (d.Field, d.Change)));

        SchemaComparison backward = SchemaComparison.Compare(PlayerV2.LayoutInfo, PlayerV1.LayoutInfo);
        Assert.True(backward.IsCompatible);
        Assert.Equal(("Gold", SchemaChange.Removed), (backward.Differences[0].Field, backward.Differences[0].Change));
    }

    [Fact]
    public void AWidenedFieldIsIncompatibleAndEveryEffectIsListedByName()
    {
        SchemaComparison comparison = SchemaComparison.Compare(PlayerV1.LayoutInfo, PlayerWidened.LayoutInfo);
        Assert.False(comparison.IsCompatible);
        Assert.Contains(comparison.Differences, d => d is { Field: "Id", Change: SchemaChange.TypeChanged, IsCompatible: false });
        Assert.Contains(comparison.Differences, d => d is { Field: "Id", Change: SchemaChange.Resized });
        Assert.Contains(comparison.Differences, d => d is { Field: "Score", Change: SchemaChange.Moved });
        Assert.Contains("INCOMPATIBLE: Id was int, is long", comparison.ToString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void ReorderedFieldsAreIncompatible()
    {
        SchemaComparison comparison = SchemaComparison.Compare(PlayerV1.LayoutInfo, PlayerReordered.LayoutInfo);
        Assert.False(comparison.IsCompatible);
        Assert.Equal(new[] { "Id", "Score" }, comparison.Differences.Where(d => d.Change == SchemaChange.Moved).Select(d => d.Field));
    }

    [Fact]
    public void AFieldRemovedInsideTheRecordIsIncompatible()
    {
        var withoutScore = PlayerV1.LayoutInfo with { Fields = PlayerV1.LayoutInfo.Fields.Where(f => f.Name != "Id").ToArray() };
        SchemaComparison comparison = SchemaComparison.Compare(PlayerV1.LayoutInfo, withoutScore);
        Assert.Equal(new[] { ("Id", SchemaChange.Removed, false) }, comparison.Differences.Select(d => (d.Field, d.Change, d.IsCompatible)));
    }

    [Fact]
    public void EnumsCompareByUnderlyingTypeNotByName()
    {
        LayoutInfo stored = Everything.LayoutInfo;
        LayoutField rank = stored.Fields.Single(f => f.Name == "Rank");
        LayoutInfo renamedEnum = stored with { Fields = stored.Fields.Select(f => f == rank ? f with { TypeName = "global::Other.Tier" } : f).ToArray() };
        Assert.True(SchemaComparison.Compare(stored, renamedEnum).IsIdentical);

        LayoutInfo signed = stored with { Fields = stored.Fields.Select(f => f == rank ? f with { UnderlyingType = "sbyte" } : f).ToArray() };
        Assert.Equal(new[] { ("Rank", SchemaChange.TypeChanged, false) }, SchemaComparison.Compare(stored, signed).Differences.Select(d => (d.Field, d.Change, d.IsCompatible)));
    }

    [Fact]
    public void AChangeInsideANestedLayoutIsIncompatibleAndNamedByItsPath()
    {
        LayoutInfo stored = Everything.LayoutInfo;
        LayoutInfo vec = Vec2.LayoutInfo;
        LayoutInfo vecChanged = vec with { Fields = vec.Fields.Select(f => f.Name == "Y" ? f with { Name = "Z" } : f).ToArray() };
        LayoutInfo current = stored with { Fields = stored.Fields.Select(f => f.Name == "Position" ? f with { Layout = vecChanged } : f).ToArray() };
        SchemaComparison comparison = SchemaComparison.Compare(stored, current);
        Assert.False(comparison.IsCompatible);
        Assert.Equal(new[] { "Position.Y", "Position.Z" }, comparison.Differences.Select(d => d.Field));
    }
}
