using System;
using Overlay.Platform;
using Xunit;

namespace Overlay.Tests.Platforms;

/// <summary>
/// The boot id record files compare (docs/durability.md): known on every OS that runs the tests
/// (Linux's <c>boot_id</c>; in the Wine run, Windows' kernel boot time), and the same every time it
/// is read within a boot.
/// </summary>
public class BootIdTests
{
    [Fact]
    public void TheBootIdIsKnownAndStable()
    {
        Guid id = MapPlatform.Current.BootId;
        Assert.NotEqual(Guid.Empty, id);
        Assert.Equal(id, MapPlatform.Current.BootId);
    }

    [Fact]
    public void AFileCreatedInThisBootStoresItsId()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"overlay-boot-{Guid.NewGuid():N}.bin");
        try
        {
            using (var file = Overlay.Layouts.RecordFile<Layouts.TestHeader.View, Layouts.TestRecord.View>.Create(path, Layouts.RecordFileTests.Magic))
            {
                Assert.Equal(MapPlatform.Current.BootId, file.Map.ReadAt<Guid>(Overlay.Layouts.RecordFileFormat.BootIdOffset));
            }
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
