using System;
using System.Buffers;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary><see cref="MemoryMap.AcquireMemory"/> and <see cref="MemoryMap.AcquireReadOnlyMemory"/>: Python's buffer protocol.</summary>
public unsafe class ExportTests
{
    [Fact]
    public void AcquireMemoryWholeMapCoversEveryByte()
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path);
        using (MappedMemory export = map.AcquireMemory())
        {
            Assert.Equal(100, export.Memory.Length);
            Assert.Equal(file.ReadAll(), export.Memory.ToArray());
        }

        using (ReadOnlyMappedMemory export = map.AcquireReadOnlyMemory())
        {
            Assert.Equal(100, export.Memory.Length);
            Assert.Equal(file.ReadAll(), export.Span.ToArray());
        }
    }

    [Theory]
    [InlineData(0L, 10)]
    [InlineData(10L, 0)]
    [InlineData(90L, 10)]
    [InlineData(100L, 0)]
    [InlineData(37L, 41)]
    public void AcquireMemoryRangeIsThatRange(long start, int length)
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path);
        using MappedMemory export = map.AcquireMemory(start, length);
        using ReadOnlyMappedMemory readOnly = map.AcquireReadOnlyMemory(start, length);
        byte[] expected = file.ReadAll().AsSpan((int)start, length).ToArray();
        Assert.Equal(expected, export.GetSpan().ToArray());
        Assert.Equal(expected, readOnly.Span.ToArray());
    }

    [Fact]
    public void AcquireMemoryWithoutLengthRunsToTheEnd()
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path);
        using MappedMemory tail = map.AcquireMemory(60);
        using ReadOnlyMappedMemory readOnlyTail = map.AcquireReadOnlyMemory(100);
        Assert.Equal(40, tail.Memory.Length);
        Assert.Equal((byte)60, tail.Memory.Span[0]);
        Assert.Equal(0, readOnlyTail.Memory.Length);
    }

    [Theory]
    [InlineData(-1L, null)]
    [InlineData(101L, null)]
    [InlineData(long.MaxValue, null)]
    [InlineData(long.MinValue, 1)]
    [InlineData(0L, -1)]
    [InlineData(0L, 101)]
    [InlineData(50L, 51)]
    [InlineData(100L, 1)]
    [InlineData(1L, int.MaxValue)]
    [InlineData(-1L, 1)]
    public void AcquireOutsideTheMapThrows(long start, int? length)
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.AcquireMemory(start, length));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.AcquireReadOnlyMemory(start, length));

        // A refused export holds nothing: the map closes.
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void WritesThroughMemoryReachTheMapAndTheFile()
    {
        using var file = FeatureTempFile.WithPattern(64);
        using var map = MemoryMap.Open(file.Path);
        using (MappedMemory export = map.AcquireMemory(10, 20))
        {
            Memory<byte> memory = export.Memory;
            "hello"u8.CopyTo(memory.Span);
            memory.Span[19] = 0xEE;
            Assert.Equal("hello"u8.ToArray(), map[10..15]);
            Assert.Equal(0xEE, map[29]);

            // ... and the other way round: the memory is the map, not a copy.
            map[11] = (byte)'E';
            Assert.Equal((byte)'E', memory.Span[1]);
        }

        byte[] disk = file.ReadAll();
        Assert.Equal("hEllo"u8.ToArray(), disk[10..15]);
        Assert.Equal(0xEE, disk[29]);
        Assert.Equal(9, disk[9]);
        Assert.Equal(30, disk[30]);
    }

    [Fact]
    public void WritesThroughCopyMapMemoryStayPrivate()
    {
        using var file = FeatureTempFile.WithPattern(64);
        using var map = MemoryMap.Open(file.Path, MapAccess.Copy);
        using (MappedMemory export = map.AcquireMemory())
        {
            export.Memory.Span[0] = 0xAB;
        }

        Assert.Equal(0xAB, map[0]);
        Assert.Equal(0, file.ReadAll()[0]);
    }

    [Fact]
    public void AnonymousMapExportsToo()
    {
        using var map = MemoryMap.Anonymous(4096);
        using MappedMemory export = map.AcquireMemory(4000);
        export.Memory.Span.Fill(7);
        Assert.Equal(7, map[4000]);
        Assert.Equal(7, map[-1]);
        Assert.Equal(0, map[3999]);
    }

    [Fact]
    public void ReadOnlyMapRefusesWritableMemory()
    {
        using var file = FeatureTempFile.WithPattern(16);
        using var map = MemoryMap.Open(file.Path, MapAccess.Read);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => map.AcquireMemory());
        Assert.Throws<NotSupportedException>(() => map.AcquireMemory(0, 1));
#pragma warning restore OVL001

        using ReadOnlyMappedMemory export = map.AcquireReadOnlyMemory();
        Assert.Equal(file.ReadAll(), export.Span.ToArray());
    }

    [Fact]
    public void ReadOnlyProtectionRefusesWritableMemory()
    {
        using var file = FeatureTempFile.WithPattern(16);
        using var handle = System.IO.File.OpenHandle(file.Path, System.IO.FileMode.Open, System.IO.FileAccess.ReadWrite);
        using var map = new MemoryMap(handle, 0, MapFlags.Shared, MapProtection.Read);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => map.AcquireMemory());
#pragma warning restore OVL001
    }

    [Fact]
    public void ClosedMapRefusesExports()
    {
        using var file = FeatureTempFile.WithPattern(16);
        var map = MemoryMap.Open(file.Path);
        map.Close();
        Assert.Throws<ObjectDisposedException>(() => map.AcquireMemory());
        Assert.Throws<ObjectDisposedException>(() => map.AcquireReadOnlyMemory());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LiveExportBlocksCloseResizeAndProtectAndTheMapStaysUsable(bool readOnlyExport)
    {
        using var file = FeatureTempFile.WithPattern(8192);
        var map = MemoryMap.Open(file.Path);
        IDisposable export = readOnlyExport ? map.AcquireReadOnlyMemory(100, 10) : map.AcquireMemory(100, 10);

        Assert.Throws<InvalidOperationException>(map.Close);
        Assert.Throws<InvalidOperationException>(map.Dispose);
        Assert.Throws<InvalidOperationException>(() => map.Resize(4096));
        Assert.Throws<InvalidOperationException>(() => map.Resize(16384));
        Assert.Throws<InvalidOperationException>(() => map.Protect(MapProtection.Read));
        using (var stream = map.AsStream())
        {
            Assert.Throws<InvalidOperationException>(() => stream.SetLength(1));
        }

        // Nothing changed, and everything still works.
        AssertFullyUsable(map, file, 8192);
        Assert.Equal(MapProtection.ReadWrite, map.Protection);

        export.Dispose();
        map.Protect(MapProtection.ReadWrite);
        map.Resize(4096);
        Assert.Equal(4096, map.Length);
        Assert.Equal(4096, new System.IO.FileInfo(file.Path).Length);
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void EveryExportMustEndBeforeClose()
    {
        using var file = FeatureTempFile.WithPattern(64);
        var map = MemoryMap.Open(file.Path);
        MappedMemory first = map.AcquireMemory(0, 2);
        ReadOnlyMappedMemory second = map.AcquireReadOnlyMemory(0, 2); // a second view of the same bytes
        MappedMemory third = map.AcquireMemory(10);

        ((IDisposable)first).Dispose();
        Assert.Throws<InvalidOperationException>(map.Close);
        third.GetSpan()[0] = 42;
        ((IDisposable)third).Dispose();
        Assert.Throws<InvalidOperationException>(map.Close);
        Assert.Throws<InvalidOperationException>(() => map.Resize(10));
        Assert.Equal(42, map[10]);

        second.Dispose();
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void DisposingAnExportTwiceReleasesItOnce()
    {
        using var file = FeatureTempFile.WithPattern(64);
        var map = MemoryMap.Open(file.Path);
        MappedMemory first = map.AcquireMemory();
        ReadOnlyMappedMemory second = map.AcquireReadOnlyMemory();
        MappedMemory third = map.AcquireMemory();

        ((IDisposable)first).Dispose();
        ((IDisposable)first).Dispose();
        second.Dispose();
        second.Dispose();

        // third is still alive: a double dispose must not have released it.
        Assert.Throws<InvalidOperationException>(map.Close);
        ((IDisposable)third).Dispose();
        map.Close();
    }

    [Fact]
    public void MemorySliceKeepsNoExportOfItsOwnButDiesWithItsOwner()
    {
        using var file = FeatureTempFile.WithPattern(64);
        var map = MemoryMap.Open(file.Path);
        MappedMemory owner = map.AcquireMemory(8, 16);
        Memory<byte> slice = owner.Memory.Slice(4, 4);
        ReadOnlyMemory<byte> readOnlySlice = owner.Memory[2..];

        Assert.Equal(new byte[] { 12, 13, 14, 15 }, slice.ToArray());
        slice.Span[0] = 0xCC;
        Assert.Equal(0xCC, map[12]);
        Assert.Equal(0xCC, readOnlySlice.Span[2]);
        Assert.Throws<InvalidOperationException>(map.Close);

        ((IDisposable)owner).Dispose();
        Assert.Throws<ObjectDisposedException>(() => slice.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => readOnlySlice.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => slice.Pin());
        map.Close();
    }

    [Fact]
    public void DisposedExportsHandOutNothing()
    {
        using var file = FeatureTempFile.WithPattern(64);
        using var map = MemoryMap.Open(file.Path);
        MappedMemory writable = map.AcquireMemory();
        Memory<byte> memory = writable.Memory;
        ((IDisposable)writable).Dispose();
        Assert.Throws<ObjectDisposedException>(() => writable.GetSpan());
        Assert.Throws<ObjectDisposedException>(() => writable.Memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => writable.Pin());

        ReadOnlyMappedMemory readOnly = map.AcquireReadOnlyMemory();
        ReadOnlyMemory<byte> readOnlyMemory = readOnly.Memory;
        readOnly.Dispose();
        Assert.Throws<ObjectDisposedException>(() => readOnly.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => readOnly.Memory);
        Assert.Throws<ObjectDisposedException>(() => readOnlyMemory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => readOnlyMemory.Pin());
    }

    [Fact]
    public void PinGivesTheMappedAddress()
    {
        using var file = FeatureTempFile.WithPattern(256);
        using var map = MemoryMap.Open(file.Path);
        using MappedMemory whole = map.AcquireMemory();
        using MappedMemory part = map.AcquireMemory(100, 50);
        using ReadOnlyMappedMemory readOnly = map.AcquireReadOnlyMemory(100, 50);

        using MemoryHandle wholeHandle = whole.Pin();
        using MemoryHandle partHandle = part.Pin();
        using MemoryHandle partAtTen = part.Pin(10);
        using MemoryHandle partEnd = part.Pin(50);
        using MemoryHandle readOnlyHandle = readOnly.Memory.Pin();
        using MemoryHandle slicedHandle = part.Memory[5..].Pin();

        byte* basePointer = (byte*)wholeHandle.Pointer;
        Assert.True(basePointer != null);
        Assert.Equal((nint)(basePointer + 100), (nint)partHandle.Pointer);
        Assert.Equal((nint)(basePointer + 110), (nint)partAtTen.Pointer);
        Assert.Equal((nint)(basePointer + 150), (nint)partEnd.Pointer);
        Assert.Equal((nint)(basePointer + 100), (nint)readOnlyHandle.Pointer);
        Assert.Equal((nint)(basePointer + 105), (nint)slicedHandle.Pointer);
        Assert.Equal((ulong)basePointer, FeatureProcMaps.AddressOf(map));

        // The pointer is the map: reads and writes through it are the map's bytes.
        Assert.Equal(110, *(byte*)partAtTen.Pointer);
        *(byte*)partAtTen.Pointer = 0x5A;
        Assert.Equal(0x5A, map[110]);
        Assert.Equal(0x5A, file.ReadAll()[110]);

        Assert.Throws<ArgumentOutOfRangeException>(() => part.Pin(51));
        Assert.Throws<ArgumentOutOfRangeException>(() => part.Pin(-1));
    }

    [Fact]
    public void UnreadableMapRefusesReadOnlyMemory()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        using var map = MemoryMap.Open(file.Path);
        map.Protect(MapProtection.None);
        Assert.Throws<NotSupportedException>(() => map.AcquireReadOnlyMemory());
        Assert.Throws<NotSupportedException>(() => map.AcquireMemory());
        map.Protect(MapProtection.ReadWrite);
        using ReadOnlyMappedMemory export = map.AcquireReadOnlyMemory();
        Assert.Equal(4096, export.Span.Length);
    }

    private static void AssertFullyUsable(MemoryMap map, FeatureTempFile file, long length)
    {
        Assert.False(map.IsClosed);
        Assert.Equal(length, map.Length);
        Assert.Equal(length, map.Size());
        map[0] = 0x99;
        Assert.Equal(0x99, map[0]);
        map.Seek(0);
        Assert.Equal(0x99, map.ReadByte());
        map.Write("xy"u8);
        Assert.Equal(3, map.Position);
        Assert.Equal(1, map.Find("xy"u8, 0));
        map.Flush();
        byte[] disk = file.ReadAll();
        Assert.Equal(new byte[] { 0x99, (byte)'x', (byte)'y' }, disk[..3]);
        Assert.Equal(length, disk.Length);
    }
}
