using System.IO;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary>
/// What the kernel was asked for, read back from <c>/proc/self/maps</c>. The permission column is
/// the page protection the MMU enforces: <c>r--s</c> means any store into the range faults
/// (SIGSEGV), so a write through a raw pointer into a <see cref="MapAccess.Read"/> map cannot reach
/// the file. The fault itself is not provoked here: .NET turns a SIGSEGV outside managed code
/// into a process crash, and a child process per test would be slow; the kernel's own record of
/// the protection is the proof.
/// </summary>
public class KernelProtectionTests
{
    [Theory]
    [InlineData(MapAccess.Read, "r--s", MapProtection.Read)]
    [InlineData(MapAccess.Write, "rw-s", MapProtection.ReadWrite)]
    [InlineData(MapAccess.Default, "rw-s", MapProtection.ReadWrite)]
    [InlineData(MapAccess.Copy, "rw-p", MapProtection.ReadWrite)]
    public void OpenMapsWithThePermissionsTheAccessImplies(MapAccess access, string permissions, MapProtection protection)
    {
        using var file = FeatureTempFile.WithPattern(3 * 4096);
        using var map = MemoryMap.Open(file.Path, access);
        Assert.Equal(protection, map.Protection);
        AssertMapping(map, permissions, file);
    }

    [Theory]
    [InlineData(MapAccess.Read, "r--s")]
    [InlineData(MapAccess.Write, "rw-s")]
    [InlineData(MapAccess.Default, "rw-s")]
    [InlineData(MapAccess.Copy, "rw-p")]
    public void TheHandleConstructorMapsWithThePermissionsTheAccessImplies(MapAccess access, string permissions)
    {
        using var file = FeatureTempFile.WithPattern(5000);
        FileAccess fileAccess = access is MapAccess.Read or MapAccess.Copy ? FileAccess.Read : FileAccess.ReadWrite;
        using var handle = File.OpenHandle(file.Path, FileMode.Open, fileAccess);
        using var map = new MemoryMap(handle, 0, access: access);
        AssertMapping(map, permissions, file);
    }

    [Theory]
    [InlineData(MapFlags.Shared, MapProtection.Read, "r--s")]
    [InlineData(MapFlags.Shared, MapProtection.ReadWrite, "rw-s")]
    [InlineData(MapFlags.Private, MapProtection.Read, "r--p")]
    [InlineData(MapFlags.Private, MapProtection.ReadWrite, "rw-p")]
    public void FlagsAndProtectionReachTheKernelAsGiven(MapFlags flags, MapProtection protection, string permissions)
    {
        using var file = FeatureTempFile.WithPattern(5000);
        using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite);
        using var map = new MemoryMap(handle, 0, flags, protection);
        Assert.Equal(protection, map.Protection);
        AssertMapping(map, permissions, file);
    }

    [Fact]
    public void AnonymousPrivateMemoryIsPrivateAndWritable()
    {
        using var map = MemoryMap.Anonymous(3 * 4096, MapFlags.Private);
        FeatureMapping mapping = FeatureProcMaps.Find(FeatureProcMaps.AddressOf(map));
        Assert.Equal("rw-p", mapping.Permissions);
        Assert.Equal(MapFlags.Private | MapFlags.Anonymous, map.Flags);
        Assert.True(map.IsAnonymous);
    }

    [Fact]
    public void AnonymousSharedMemoryIsShared()
    {
        using var map = MemoryMap.Anonymous(3 * 4096);
        ulong address = FeatureProcMaps.AddressOf(map);
        FeatureMapping mapping = FeatureProcMaps.Find(address);
        Assert.Equal("rw-s", mapping.Permissions);
        Assert.StartsWith("/dev/zero", mapping.Path); // the kernel backs MAP_SHARED|MAP_ANONYMOUS with a shmem file
        Assert.Equal(address, mapping.Start);
        Assert.Equal(address + (ulong)(3 * 4096), mapping.End);
    }

    [Fact]
    public void AnonymousReadOnlyMemoryIsReadOnly()
    {
        using var map = MemoryMap.Anonymous(4096, access: MapAccess.Read);
        Assert.Equal("r--s", FeatureProcMaps.Find(FeatureProcMaps.AddressOf(map)).Permissions);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<System.NotSupportedException>(() => map[0] = 1);
#pragma warning restore OVL001
    }

    [Fact]
    public void AnOffsetMapCoversThatPartOfTheFile()
    {
        using var file = FeatureTempFile.WithPattern(4 * 4096);
        long page = MemoryMap.PageSize;
        using var map = MemoryMap.Open(file.Path, MapAccess.Read, length: 0, offset: page);
        ulong address = FeatureProcMaps.AddressOf(map);
        FeatureMapping mapping = FeatureProcMaps.Find(address);
        Assert.Equal(address, mapping.Start);
        Assert.Equal("r--s", mapping.Permissions);
        Assert.Equal(page, map.Offset);
        Assert.Equal(file.ResolvedPath, mapping.Path);
    }

    private static void AssertMapping(MemoryMap map, string permissions, FeatureTempFile file)
    {
        ulong address = FeatureProcMaps.AddressOf(map);
        FeatureMapping mapping = FeatureProcMaps.Find(address);
        Assert.Equal(permissions, mapping.Permissions);
        Assert.Equal(file.ResolvedPath, mapping.Path);
        Assert.Equal(address, mapping.Start);
        ulong pages = ((ulong)map.Length + (ulong)MemoryMap.PageSize - 1) / (ulong)MemoryMap.PageSize;
        Assert.Equal(address + (pages * (ulong)MemoryMap.PageSize), mapping.End);
    }
}
