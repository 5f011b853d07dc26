using System;
using System.IO;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary><see cref="MemoryMap.Protect"/> (mprotect), checked in the map's behaviour and in <c>/proc/self/maps</c>.</summary>
public class ProtectTests
{
    [Fact]
    public void ProtectReadMakesEveryWriteRefusedAndReadWriteRestores()
    {
        using var file = FeatureTempFile.WithPattern(2 * 4096);
        using var map = MemoryMap.Open(file.Path);
        ulong address = FeatureProcMaps.AddressOf(map);

        map.Protect(MapProtection.Read);
        Assert.Equal(MapProtection.Read, map.Protection);
        Assert.Equal("r--s", FeatureProcMaps.Find(address).Permissions);
        Assert.False(map.CanWrite);
        Assert.True(map.CanRead);
        Assert.Equal(MapAccess.Write, map.Access);

        Assert.Throws<NotSupportedException>(() => map[0] = 1);
        Assert.Throws<NotSupportedException>(() => map[-1] = 1);
        Assert.Throws<NotSupportedException>(() => map[0..2] = new byte[2]);
        Assert.Throws<NotSupportedException>(() => map.SetSlice(0, 2, 1, new byte[2]));
        Assert.Throws<NotSupportedException>(() => map.Write("x"u8));
        Assert.Throws<NotSupportedException>(() => map.WriteByte(1));
        Assert.Throws<NotSupportedException>(() => map.Move(0, 1, 1));
        Assert.Throws<NotSupportedException>(() => map.AcquireMemory());
        Assert.Equal(0, map.Position);

        // Reads still work.
        Assert.Equal(5, map[5]);
        Assert.Equal(new byte[] { 0, 1, 2 }, map.Read(3));
        Assert.Equal(4000, map.Find([(byte)(4000 % 256), (byte)(4001 % 256)], 3990));

        map.Protect(MapProtection.ReadWrite);
        Assert.Equal("rw-s", FeatureProcMaps.Find(address).Permissions);
        Assert.True(map.CanWrite);
        map[0] = 0xAA;
        map.Write("zz"u8);
        map.Flush();
        Assert.Equal(new byte[] { 0xAA, 1, 2, (byte)'z', (byte)'z', 5 }, file.ReadAll()[..6]);
    }

    [Fact]
    public void ProtectKeepsTheMappingWhereItIs()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        using var map = MemoryMap.Open(file.Path);
        ulong address = FeatureProcMaps.AddressOf(map);
        map.Protect(MapProtection.Read);
        map.Protect(MapProtection.ReadWrite);
        Assert.Equal(address, FeatureProcMaps.AddressOf(map));
        Assert.Equal(file.ResolvedPath, FeatureProcMaps.Find(address).Path);
    }

    [Fact]
    public void AReadMapCannotBeMadeWritable()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        using var map = MemoryMap.Open(file.Path, MapAccess.Read);
        ulong address = FeatureProcMaps.AddressOf(map);
        Assert.Throws<NotSupportedException>(() => map.Protect(MapProtection.ReadWrite));
        Assert.Throws<NotSupportedException>(() => map.Protect(MapProtection.Write));
        Assert.Throws<NotSupportedException>(() => map.Protect(MapProtection.Write | MapProtection.Execute));
        Assert.Equal(MapProtection.Read, map.Protection);
        Assert.Equal("r--s", FeatureProcMaps.Find(address).Permissions);
        Assert.False(map.CanWrite);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => map[0] = 1);
#pragma warning restore OVL001
    }

    [Fact]
    public void AReadOnlyFileMappedForReadingCannotBeMadeWritable()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read);
        using var map = new MemoryMap(handle, 0, access: MapAccess.Read);
        ulong address = FeatureProcMaps.AddressOf(map);
        Assert.Throws<NotSupportedException>(() => map.Protect(MapProtection.ReadWrite));
        Assert.Equal("r--s", FeatureProcMaps.Find(address).Permissions);

        // Through flags and protection the access is derived as Read: the same refusal.
        using var derived = new MemoryMap(handle, 0, MapFlags.Shared, MapProtection.Read);
        Assert.Equal(MapAccess.Read, derived.Access);
        Assert.Throws<NotSupportedException>(() => derived.Protect(MapProtection.ReadWrite));
        Assert.Equal(0, file.ReadAll()[0]);
    }

    [Fact]
    public void AReadOnlyFileCannotBeMappedWritableShared()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read);
        var error = Assert.Throws<UnauthorizedAccessException>(() => new MemoryMap(handle, 0, access: MapAccess.Write));
        Assert.Equal(13, Assert.IsType<MapIOException>(error.InnerException).ErrorNumber);
    }

    [Fact]
    public void ProtectNoneRefusesReadsWithoutFaulting()
    {
        using var file = FeatureTempFile.WithPattern(2 * 4096);
        using var map = MemoryMap.Open(file.Path);
        ulong address = FeatureProcMaps.AddressOf(map);
        map.Position = 10;

        map.Protect(MapProtection.None);
        Assert.Equal("---s", FeatureProcMaps.Find(address).Permissions);
        Assert.False(map.CanRead);
        Assert.False(map.CanWrite);
        Assert.Equal(MapProtection.None, map.Protection);

        // Every access is refused before it touches the pages; the process survives.
        Assert.Throws<NotSupportedException>(() => map[0]);
        Assert.Throws<NotSupportedException>(() => map[-1]);
        Assert.Throws<NotSupportedException>(() => map[0] = 1);
        Assert.Throws<NotSupportedException>(() => map[0..4]);
        Assert.Throws<NotSupportedException>(() => map.GetSlice(0, 4, 2));
        Assert.Throws<NotSupportedException>(() => map.Read(1));
        Assert.Throws<NotSupportedException>(() => map.Read(new byte[1].AsSpan()));
        Assert.Throws<NotSupportedException>(() => map.ReadByte());
        Assert.Throws<NotSupportedException>(() => map.ReadLine());
        Assert.Throws<NotSupportedException>(() => map.Find("x"u8));
        Assert.Throws<NotSupportedException>(() => map.RFind("x"u8));
        Assert.Throws<NotSupportedException>(() => map.Contains((byte)1));
        Assert.Throws<NotSupportedException>(() => map.Write("x"u8));
        Assert.Throws<NotSupportedException>(() => map.Move(0, 1, 1));
        Assert.Throws<NotSupportedException>(() => map.AcquireReadOnlyMemory());
        Assert.Equal(10, map.Position);

        // What does not touch the pages still works.
        Assert.Equal(2 * 4096, map.Length);
        Assert.Equal(2 * 4096, map.Size());
        Assert.Equal(100, map.Seek(100));

        map.Protect(MapProtection.ReadWrite);
        Assert.Equal("rw-s", FeatureProcMaps.Find(address).Permissions);
        Assert.True(map.CanRead);
        Assert.Equal(7, map[7]);
        Assert.Equal(file.ReadAll(), map[..]);
    }

    [Fact]
    public void ProtectReadOnACopyMapThenBack()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        using var map = MemoryMap.Open(file.Path, MapAccess.Copy);
        ulong address = FeatureProcMaps.AddressOf(map);
        map[0] = 0x11;
        map.Protect(MapProtection.Read);
        Assert.Equal("r--p", FeatureProcMaps.Find(address).Permissions);
        Assert.Throws<NotSupportedException>(() => map[1] = 1);
        Assert.Equal(0x11, map[0]);
        map.Protect(MapProtection.ReadWrite);
        Assert.Equal("rw-p", FeatureProcMaps.Find(address).Permissions);
        map[1] = 0x22;
        Assert.Equal(new byte[] { 0x11, 0x22, 2 }, map[..3]);
        Assert.Equal(new byte[] { 0, 1, 2 }, file.ReadAll()[..3]);
    }

    [Fact]
    public void ProtectOnAnonymousMemory()
    {
        using var map = MemoryMap.Anonymous(3 * 4096, MapFlags.Private);
        ulong address = FeatureProcMaps.AddressOf(map);
        map[100] = 9;
        map.Protect(MapProtection.Read);
        FeatureMapping mapping = FeatureProcMaps.Find(address);
        Assert.Equal("r--p", mapping.Permissions);
        Assert.Equal(9, map[100]);
        Assert.Throws<NotSupportedException>(() => map[100] = 1);
        map.Protect(MapProtection.ReadWrite);
        map[100] = 10;
        Assert.Equal(10, map[100]);

        // Protection given at creation is the limit for a derived Read access.
        using var readOnly = MemoryMap.Anonymous(4096, MapFlags.Private, MapProtection.Read);
        Assert.Equal(MapAccess.Read, readOnly.Access);
        Assert.Throws<NotSupportedException>(() => readOnly.Protect(MapProtection.ReadWrite));
    }

    [Fact]
    public void ProtectOnAClosedMapThrowsObjectDisposed()
    {
        using var file = FeatureTempFile.WithPattern(10);
        var map = MemoryMap.Open(file.Path);
        map.Close();
        Assert.Throws<ObjectDisposedException>(() => map.Protect(MapProtection.Read));
    }
}
