using System;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary>The constructors' handling of handles, descriptors and special files.</summary>
public class ConstructorTests
{
    [Fact]
    public void NullHandleIsAnArgumentNullException()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new MemoryMap((SafeFileHandle)null!, 0));
        Assert.Equal("file", error.ParamName);
    }

    [Fact]
    public void ClosedHandleIsAnObjectDisposedException()
    {
        using var file = FeatureTempFile.WithPattern(100);
        SafeFileHandle handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite);
        handle.Dispose();
        Assert.Throws<ObjectDisposedException>(() => new MemoryMap(handle, 0));
    }

    [Fact]
    public void InvalidHandleIsAnArgumentException()
    {
        using var handle = new SafeFileHandle(-1, ownsHandle: false);
        var error = Assert.Throws<ArgumentException>(() => new MemoryMap(handle, 0));
        Assert.Equal("file", error.ParamName);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-2)]
    [InlineData(int.MinValue)]
    public void NegativeDescriptorIsOutOfRange(int fd)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(fd, 4096));
        Assert.Equal("fileDescriptor", error.ParamName);
    }

    [Fact]
    public void AnUnusedDescriptorIsEbadf()
    {
        const int unused = 9999; // far above anything the test process opens
        Assert.False(File.Exists($"/proc/self/fd/{unused}"));
        var error = Assert.Throws<MapIOException>(() => new MemoryMap(unused, 4096));
        Assert.Equal(9, error.ErrorNumber);
        Assert.Equal(9, Assert.Throws<MapIOException>(() => new MemoryMap(unused, 0, trackFile: false)).ErrorNumber);
    }

    [Theory]
    [InlineData(MapFlags.Shared | MapFlags.Fixed)]
    [InlineData(MapFlags.Private | MapFlags.Fixed)]
    [InlineData(MapFlags.Shared | MapFlags.FixedNoReplace)]
    [InlineData(MapFlags.Private | MapFlags.FixedNoReplace)]
    public void FixedAddressesAreRefused(MapFlags flags)
    {
        using var file = FeatureTempFile.WithPattern(4096);
        using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite);
        Assert.Throws<ArgumentException>(() => new MemoryMap(handle, 0, flags));
        Assert.Throws<ArgumentException>(() => new MemoryMap((int)handle.DangerousGetHandle(), 0, flags));
        Assert.Throws<ArgumentException>(() => MemoryMap.Anonymous(4096, flags));

        // The refusal leaked nothing: the file is unchanged and maps normally.
        using var map = new MemoryMap(handle, 0);
        Assert.Equal(4096, map.Length);
    }

    [Fact]
    public void DevZeroMapsWithALength()
    {
        using var handle = File.OpenHandle("/dev/zero", FileMode.Open, FileAccess.ReadWrite);
        using var map = new MemoryMap(handle, 8192);
        Assert.Equal(8192, map.Length);
        Assert.False(map.IsAnonymous);
        Assert.Equal(0, map[8191]);
        map[8191] = 0x7F;
        Assert.Equal(0x7F, map[-1]);
        Assert.Equal(0, map.Size()); // a character device has no size
        Assert.Equal(-1, map.Find([0x7F], 0, 8191));
        Assert.Equal(8191, map.Find([0x7F], 0));

        using var byDescriptor = new MemoryMap((int)handle.DangerousGetHandle(), 4096, access: MapAccess.Copy);
        Assert.Equal(4096, byDescriptor.Length);
        Assert.Equal(0, byDescriptor[0]);
    }

    [Fact]
    public void DevZeroWithoutALengthIsAnArgumentException()
    {
        using var handle = File.OpenHandle("/dev/zero", FileMode.Open, FileAccess.ReadWrite);
        var error = Assert.Throws<ArgumentException>(() => new MemoryMap(handle, 0));
        Assert.IsNotType<ArgumentOutOfRangeException>(error);
        Assert.Equal("length", error.ParamName);
        Assert.Throws<ArgumentException>(() => MemoryMap.Open("/dev/zero", MapAccess.Write));
    }

    [Fact]
    public void ADirectoryCannotBeMapped()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"overlay-feature-dir-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            // Read-only, a directory opens, but mmap refuses it: ENODEV, as Python's OSError errno 19.
            var error = Assert.Throws<MapIOException>(() => MemoryMap.Open(directory, MapAccess.Read, length: 4096));
            Assert.Equal(19, error.ErrorNumber);

            // Without a length it is refused first, as any file that is not a regular one.
            Assert.Throws<ArgumentException>(() => MemoryMap.Open(directory, MapAccess.Read));

            // Read-write, open(2) itself refuses a directory: EISDIR.
            Assert.Equal(21, Assert.Throws<MapIOException>(() => MemoryMap.Open(directory, MapAccess.Write, length: 4096)).ErrorNumber);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public void AMissingFileIsFileNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), $"overlay-feature-missing-{Guid.NewGuid():N}");
        var error = Assert.Throws<FileNotFoundException>(() => MemoryMap.Open(path));
        Assert.Equal(path, error.FileName);
        Assert.Throws<FileNotFoundException>(() => MemoryMap.Open(path, MapAccess.Read));
        Assert.Throws<FileNotFoundException>(() => MemoryMap.Open(Path.Combine(path, "child")));
        Assert.False(File.Exists(path)); // Open never creates
    }

    [Fact]
    public void AFileUsedAsADirectoryIsDirectoryNotFound()
    {
        using var file = FeatureTempFile.WithPattern(10);
        Assert.Throws<DirectoryNotFoundException>(() => MemoryMap.Open(Path.Combine(file.Path, "child")));
    }

    [Fact]
    public void TheMapOutlivesTheCallersHandle()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        MemoryMap map;
        using (var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            map = new MemoryMap(handle, 0);
        }

        using (map)
        {
            // The map duplicated the descriptor: size and resize still reach the file.
            map[0] = 0xAB;
            Assert.Equal(4096, map.Size());
            map.Resize(8192);
            Assert.Equal(8192, map.Size());
            map[8191] = 0xCD;
            map.Flush();
        }

        byte[] disk = file.ReadAll();
        Assert.Equal(8192, disk.Length);
        Assert.Equal(0xAB, disk[0]);
        Assert.Equal(0xCD, disk[^1]);
    }

    [Fact]
    public void TheMapOutlivesTheCallersDescriptor()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        MemoryMap map;
        using (var stream = new FileStream(file.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            map = new MemoryMap((int)stream.SafeFileHandle.DangerousGetHandle(), 0);
        }

        using (map)
        {
            map[1] = 0x12;
            Assert.Equal(4096, map.Size());
            map.Resize(5000);
        }

        Assert.Equal(0x12, file.ReadAll()[1]);
        Assert.Equal(5000, file.ReadAll().Length);
    }

    [Fact]
    public void WithoutTrackingTheMappingOutlivesTheHandleButSizeAndResizeRefuse()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        MemoryMap map;
        using (var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            map = new MemoryMap(handle, 0, trackFile: false);
        }

        using (map)
        {
            map[2] = 0x34;
            Assert.Equal(4096, map.Length);
            Assert.Throws<NotSupportedException>(() => map.Size());
            Assert.Throws<NotSupportedException>(() => map.Resize(8192));
        }

        Assert.Equal(0x34, file.ReadAll()[2]);
    }

    [Fact]
    public void OpenOwnsItsDescriptorAndCloseReleasesIt()
    {
        using var file = FeatureTempFile.WithPattern(100);
        Assert.Equal(0, DescriptorsOn(file));
        var maps = new MemoryMap[5];
        for (int i = 0; i < maps.Length; i++)
        {
            maps[i] = MemoryMap.Open(file.Path);
        }

        Assert.Equal(maps.Length, DescriptorsOn(file));
        foreach (MemoryMap map in maps)
        {
            map.Close();
        }

        Assert.Equal(0, DescriptorsOn(file));
    }

    [Fact]
    public void AFailedOpenLeavesNoDescriptor()
    {
        using var file = FeatureTempFile.WithPattern(100);
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.Open(file.Path, length: 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.Open(file.Path, offset: MemoryMap.PageSize));
        Assert.Equal(0, DescriptorsOn(file));
    }

    [Fact]
    public void AnonymousLengthMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.Anonymous(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.Anonymous(-1));
    }

    [Fact]
    public void AccessTogetherWithFlagsOrProtectionIsRefused()
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite);
#pragma warning disable OVL003 // the run-time check under test; the analyzer reports these calls at compile time
        Assert.Throws<ArgumentException>(() => new MemoryMap(handle, 0, MapFlags.Shared, access: MapAccess.Write));
        Assert.Throws<ArgumentException>(() => new MemoryMap(handle, 0, protection: MapProtection.ReadWrite, access: MapAccess.Write));
        Assert.Throws<ArgumentException>(() => MemoryMap.Anonymous(100, MapFlags.Shared, access: MapAccess.Read));
#pragma warning restore OVL003
    }

    /// <summary>How many of the process's descriptors are open on the file (its path is unique, so other tests cannot interfere).</summary>
    private static int DescriptorsOn(FeatureTempFile file)
    {
        int count = 0;
        foreach (string link in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(link).LinkTarget == file.ResolvedPath)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The descriptor closed while we looked.
            }
        }

        return count;
    }
}
