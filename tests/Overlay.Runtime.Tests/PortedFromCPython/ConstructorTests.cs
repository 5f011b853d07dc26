using System;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>
/// test_empty_file, test_offset, test_length_0_offset, test_length_0_large_offset,
/// test_bad_file_desc, test_trackfd_parameter and the constructor rows of §1.
/// </summary>
public class ConstructorTests
{
    private static readonly long P = MemoryMap.PageSize;

    [Fact]
    public void EmptyFile_IsRefused()
    {
        using var file = new TempFile([]);
        using SafeFileHandle handle = file.OpenReadWrite();
        Assert.Throws<ArgumentException>(() => new MemoryMap(handle, 0));
        // Python: VE "mmap length is greater than file size" for mmap(fd, 5) on an empty file.
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(handle, 5));
        Assert.Throws<ArgumentException>(() => MemoryMap.Open(file.Path));
        Assert.Equal(0, file.FileLength);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(4096)]
    public void LengthPastTheEnd_IsRefusedAndTheFileIsNotExtended(long length)
    {
        using var file = new TempFile(TempFile.Lines);
        using SafeFileHandle handle = file.OpenReadWrite();
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(handle, length));
        Assert.Equal(11, file.FileLength);
    }

    [Fact]
    public void NegativeLength_IsRefused()
    {
        using var file = new TempFile(TempFile.Lines);
        using SafeFileHandle handle = file.OpenReadWrite();
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(handle, -1));
#pragma warning disable OVL004 // the run-time check under test; the analyzer reports these calls at compile time
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(handle, 0, offset: -1));
#pragma warning restore OVL004
    }

    [Fact]
    public void FileDescriptorOverload_MapsTheSameFile()
    {
        using var file = new TempFile(TempFile.Lines);
        using SafeFileHandle handle = file.OpenReadWrite();
        using var m = new MemoryMap((int)handle.DangerousGetHandle(), 0);
        Assert.Equal(TempFile.Lines, m[..]);
        // Deliberate difference: -1 is refused (Python maps anonymous memory); use MemoryMap.Anonymous.
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(-1, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(-2, 4096));
    }

    [Fact]
    public void BadFileDescriptor_IsEbadf()
    {
        // fd 9999 is not open in the test process (Python: OE errno 9 EBADF).
        var error = Assert.Throws<MapIOException>(() => new MemoryMap(9999, 4096));
        Assert.Equal(9, error.ErrorNumber);
    }

    [Fact]
    public void DevZero_MapsAGivenLength_ButNotLengthZero()
    {
        using SafeFileHandle handle = File.OpenHandle("/dev/zero", FileMode.Open, FileAccess.ReadWrite);
        using (var m = new MemoryMap(handle, 10))
        {
            Assert.Equal(10, m.Length);
            Assert.Equal(new byte[10], m[..]);
        }

        // Non-regular files skip the size checks; length 0 is refused (Python: OE EINVAL from mmap).
        Assert.Throws<ArgumentException>(() => new MemoryMap(handle, 0));
    }

    [Fact]
    public void Offset_OnePageIntoATwoPageFile()
    {
        using var file = TempFile.Pages(2, fooPage: 1);
        using (var m = file.Map(0, offset: P))
        {
            Assert.Equal(P, m.Length);
            Assert.Equal(P, m.Offset);
            Assert.Equal((byte)'f', m[0]);
            Assert.Equal(0, m.Find("foo"u8));
            Assert.Equal(2 * P, m.Size()); // the whole file, not the map

            m[0..3] = "bar"u8.ToArray();
            Assert.Equal("bar"u8.ToArray(), m[0..3]);
            m.Flush();
        }

        byte[] disk = file.ReadAll();
        Assert.Equal("bar"u8.ToArray(), disk.AsSpan((int)P, 3).ToArray());
        Assert.Equal(0, disk[0]);
    }

    [Fact]
    public void Offset_WithLength()
    {
        using var file = TempFile.Pages(2, fooPage: 1);
        using var m = file.Map(10, offset: P);
        Assert.Equal(10, m.Length);
        Assert.Equal("foo"u8.ToArray(), m[0..3]);
    }

    [Fact]
    public void Offset_ToTheExactEndIsAllowed()
    {
        using var file = TempFile.Pages(2);
        using var m = file.Map(P, offset: P); // offset + length == file size
        Assert.Equal(P, m.Length);
    }

    [Fact]
    public void Offset_ResizeChangesTheFileToOffsetPlusLength()
    {
        using var file = TempFile.Pages(2, fooPage: 1);
        using var m = file.Map(0, offset: P);
        m.Resize(10);
        Assert.Equal(10, m.Length);
        Assert.Equal(P + 10, file.FileLength);
        Assert.Equal(P + 10, m.Size());
        Assert.Equal("foo"u8.ToArray(), m[0..3]);
    }

    [Fact]
    public void Offset_Unaligned_IsRefused()
    {
        using var file = TempFile.Pages(2);
        // Python: OE EINVAL from mmap(2); Overlay checks it before any call.
        Assert.Throws<ArgumentException>(() => file.Map(0, offset: 100));
        Assert.Throws<ArgumentException>(() => file.Map(10, offset: 1));
    }

    [Fact]
    public void Offset_AtOrPastTheEnd_IsRefused()
    {
        using var file = TempFile.Pages(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Map(0, offset: 2 * P)); // == size, length 0
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Map(0, offset: 3 * P)); // > size
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Map(1, offset: 2 * P)); // == size, length 1
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Map(P + 1, offset: P)); // offset + length > size
    }

    [Fact]
    public void Length0_WithOffset_IndexPastTheMapIsOutOfRange()
    {
        // Issue #10916: length 0 with an offset maps the remainder, and indexing past it is refused.
        byte[] content = new byte[4 * P];
        content.AsSpan().Fill((byte)'m');
        using var file = new TempFile(content);
        using SafeFileHandle handle = file.OpenReadOnly();
        using var m = new MemoryMap(handle, 0, access: MapAccess.Read, offset: 2 * P);
        Assert.Equal(2 * P, m.Length);
        Assert.Equal((byte)'m', m[2 * P - 1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[2 * P]);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[3 * P]);
    }

    [Fact]
    public void Length0_WithALargeOffset_IsRefused()
    {
        // Issue #10959: an aligned offset far past a 115699-byte file.
        using var file = new TempFile(new byte[115699]);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Map(0, offset: 2147418112));
    }

    [Fact]
    public void OriginalHandleClosed_MapStaysValidAndSizeWorks()
    {
        using var file = new TempFile(TempFile.Lines);
        MemoryMap m;
        using (SafeFileHandle handle = file.OpenReadWrite())
        {
            m = new MemoryMap(handle, 0);
        }

        using (m)
        {
            Assert.Equal(11, m.Size());
            m[0] = (byte)'A';
            Assert.Equal((byte)'A', file.ReadAll()[0]);
        }
    }

    [Fact]
    public void TrackFileFalse_SizeAndResizeRefused_MapOutlivesTheHandle()
    {
        using var file = new TempFile(TempFile.Lines);
        MemoryMap m;
        using (SafeFileHandle handle = file.OpenReadWrite())
        {
            m = new MemoryMap(handle, 0, trackFile: false);
            // Python 3.13/3.14: OE EBADF even while the original fd is open; main: VE.
            Assert.Throws<NotSupportedException>(() => m.Size());
        }

        using (m)
        {
            Assert.Throws<NotSupportedException>(() => m.Size());
            Assert.Throws<NotSupportedException>(() => m.Resize(20));
            Assert.Equal(11, m.Length);
            Assert.Equal(11, file.FileLength); // nothing changed

            // The data stays accessible after the original handle is closed.
            Assert.Equal(TempFile.Lines, m[..]);
            m[0] = (byte)'Z';
            Assert.Equal("Zbc\n"u8.ToArray(), m.ReadLine());
            m.Flush();
        }

        Assert.Equal((byte)'Z', file.ReadAll()[0]);
    }

    [Fact]
    public void AccessTogetherWithFlagsOrProtection_IsRefused()
    {
        using var file = new TempFile(TempFile.Lines);
        Assert.Throws<ArgumentException>(() => file.Map(flags: MapFlags.Private, access: MapAccess.Read));
        Assert.Throws<ArgumentException>(() => file.Map(protection: MapProtection.Read, access: MapAccess.Read));
        Assert.Throws<ArgumentException>(() => file.Map(flags: MapFlags.Private, access: MapAccess.Copy));
        Assert.Throws<ArgumentException>(() => file.Map(flags: MapFlags.Private, protection: MapProtection.Read, access: MapAccess.Write));
        // Deliberate difference: Python accepts access=WRITE with flags/prot equal to the defaults;
        // Overlay refuses any non-null flags or protection together with an access.
        Assert.Throws<ArgumentException>(() => file.Map(flags: MapFlags.Shared, protection: MapProtection.ReadWrite, access: MapAccess.Write));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    public void UnknownAccess_IsRefused(int access)
    {
        using var file = new TempFile(TempFile.Lines);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Map(access: (MapAccess)access));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.Anonymous(16, access: (MapAccess)access));
    }

    [Fact]
    public void FixedFlags_AreRefused()
    {
        // Deliberate difference: MAP_FIXED / MAP_FIXED_NOREPLACE are refused.
        using var file = new TempFile(TempFile.Lines);
        Assert.Throws<ArgumentException>(() => file.Map(flags: MapFlags.Shared | MapFlags.Fixed));
        Assert.Throws<ArgumentException>(() => MemoryMap.Anonymous(16, flags: MapFlags.Private | MapFlags.FixedNoReplace));
    }

    [Fact]
    public void Open_ConvenienceMapsTheWholeFile()
    {
        using var file = new TempFile(TempFile.Lines);
        using (var m = MemoryMap.Open(file.Path))
        {
            Assert.Equal(MapAccess.Write, m.Access);
            Assert.Equal(11, m.Length);
            m.Write("XY"u8);
        }

        Assert.Equal("XYc"u8.ToArray(), file.ReadAll()[..3]);
        Assert.Throws<FileNotFoundException>(() => MemoryMap.Open(file.Path + ".missing"));
    }
}
