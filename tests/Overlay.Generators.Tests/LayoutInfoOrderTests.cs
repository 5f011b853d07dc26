using System.Linq;
using Overlay.Generators.Tests.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>Hole 12: <c>LayoutInfo.Fields</c> is documented as in offset order, whatever the declaration order.</summary>
public class LayoutInfoOrderTests
{
    [Fact]
    public void FieldsAreListedByOffsetWhenOffsetsAreDeclaredOutOfOrder()
    {
        Assert.Equal(
            new[] { ("First", 0), ("Middle", 2), ("Last", 8), ("AfterLast", 12) },
            OutOfOrder.LayoutInfo.Fields.Select(f => (f.Name, f.Offset)));
    }

    [Fact]
    public void EveryTestLayoutListsItsFieldsByOffset()
    {
        foreach (var info in new[] { Scalars.LayoutInfo, BigScalars.LayoutInfo, Entry.LayoutInfo, OutOfOrder.LayoutInfo })
        {
            int[] offsets = info.Fields.Select(f => f.Offset).ToArray();
            Assert.Equal(offsets.Order(), offsets);
        }
    }
}
