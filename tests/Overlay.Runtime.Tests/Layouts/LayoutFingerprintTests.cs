using System.Linq;
using System.Text;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

public class LayoutFingerprintTests
{
    // docs/layouts.md: FNV-1a (64-bit) over the UTF-8 canonical description.
    internal static ulong Fnv1a(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }

        return hash;
    }

    [Fact]
    public void GeneratedFingerprintsFollowTheDocumentedRecipe()
    {
        Assert.Equal(TestHeader.LayoutFingerprint, Fnv1a("size=12;Version:u32:0:4:le:0;CreatedTicks:i64:4:8:le:0;"));
        Assert.Equal(TestRecord.LayoutFingerprint, Fnv1a("size=32;Id:i64:0:8:le:0;Value:f64:8:8:le:0;Flags:i32:16:4:le:0;Tag:utf8:20:12:le:12;"));
        Assert.NotEqual(TestHeader.LayoutFingerprint, TestRecord.LayoutFingerprint);
    }

    [Fact]
    public void LayoutInfoDescribesTheFields()
    {
        LayoutInfo info = TestRecord.LayoutInfo;
        Assert.Equal(TestRecord.SizeInBytes, info.SizeInBytes);
        Assert.Equal(TestRecord.LayoutFingerprint, info.Fingerprint);
        Assert.Equal(["Id", "Value", "Flags", "Tag"], info.Fields.Select(f => f.Name));
        Assert.Equal(TestRecord.Offsets.Tag, info.Fields[3].Offset);
        Assert.Equal(TestRecord.SizeInBytes, info.Fields[^1].Offset + info.Fields[^1].SizeInBytes);
    }
}
