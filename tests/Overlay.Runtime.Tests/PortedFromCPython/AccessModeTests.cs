using System;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>test_access_parameter, test_prot_readonly and the access/protection rows of §1, §6, §12.</summary>
public class AccessModeTests
{
    private const int MapSize = 10;

    private static TempFile TenAs() => new("aaaaaaaaaa"u8);

    private static void AssertReadOnly(MemoryMap m)
    {
        Assert.False(m.CanWrite);
        Assert.Throws<NotSupportedException>(() => m[..] = "bbbbbbbbbb"u8.ToArray());
        Assert.Throws<NotSupportedException>(() => m[0..2] = "x"u8.ToArray()); // wrong size: read-only is checked first
        Assert.Throws<NotSupportedException>(() => m[0] = (byte)'b');
        Assert.Throws<NotSupportedException>(() => m[100] = 1); // out of range: read-only is checked first
        Assert.Throws<NotSupportedException>(() => m.SetSlice(0, 3, null, "XYZ"u8));
        Assert.Throws<NotSupportedException>(() => m.SetSlice(null, null, 0, "XYZ"u8)); // step 0: read-only first
        m.Seek(0);
        Assert.Throws<NotSupportedException>(() => m.Write("abc"u8));
        Assert.Throws<NotSupportedException>(() => m.WriteByte((byte)'d'));
        m.Seek(0, SeekOrigin.End);
        Assert.Throws<NotSupportedException>(() => m.Write("x"u8)); // at the end: still read-only, not out of range
        Assert.Throws<NotSupportedException>(() => m.WriteByte(1));
        Assert.Throws<NotSupportedException>(() => m.Move(0, 1, 1));
        Assert.Throws<NotSupportedException>(() => m.Move(0, 100, 1)); // read-only before the range check
        Assert.Throws<NotSupportedException>(() => m.Resize(2 * m.Length));
        Assert.Throws<NotSupportedException>(() => m.Resize(-1)); // TypeError comes before "new size out of range"
        Assert.Throws<NotSupportedException>(() => m.AcquireMemory()); // memoryview(R).readonly is True
        using (var view = m.AcquireReadOnlyMemory())
        {
            Assert.Equal(m.Length, view.Span.Length);
        }
    }

    [Fact]
    public void Read_RefusesEveryWrite_AndTheFileIsUnchanged()
    {
        using var file = TenAs();
        using (SafeFileHandle handle = file.OpenReadOnly())
        using (var m = new MemoryMap(handle, MapSize, access: MapAccess.Read))
        {
            Assert.Equal(MapAccess.Read, m.Access);
            Assert.Equal(MapProtection.Read, m.Protection);
            Assert.Equal("aaaaaaaaaa"u8.ToArray(), m[..]);
            AssertReadOnly(m);
            m.Flush(); // nothing to write: fine
        }

        Assert.Equal("aaaaaaaaaa"u8.ToArray(), file.ReadAll());
    }

    [Fact]
    public void Write_ReachesTheDiskWithoutFlush()
    {
        using var file = TenAs();
        using (var m = file.Map(MapSize, access: MapAccess.Write))
        {
            Assert.Equal(MapAccess.Write, m.Access);
            Assert.Equal(2, m.Write("XY"u8));
            Assert.Equal("XYaaaaaaaa"u8.ToArray(), file.ReadAll()); // no flush yet

            m[..] = "cccccccccc"u8.ToArray();
            Assert.Equal("cccccccccc"u8.ToArray(), m[..]);
            Assert.Equal("cccccccccc"u8.ToArray(), file.ReadAll());
            m.Flush();
            m.Resize(20); // W.resize(20) is allowed
            Assert.Equal(20, file.FileLength);
        }

        Assert.Equal("cccccccccc"u8.ToArray(), file.ReadAll()[..MapSize]);
    }

    [Fact]
    public void Copy_ChangesMemoryButNeverTheDisk()
    {
        using var file = new TempFile(TempFile.Lines);
        using (var m = file.Map(access: MapAccess.Copy))
        {
            Assert.Equal(MapAccess.Copy, m.Access);
            Assert.True(m.CanWrite);
            m[0..2] = "XY"u8.ToArray();
            m.Flush();
            Assert.Equal("XYc"u8.ToArray(), m[0..3]);
            Assert.Equal(TempFile.Lines, file.ReadAll());

            m.Seek(4);
            Assert.Equal(2, m.Write("ZZ"u8));
            m[10] = 1;
            m.SetSlice(8, 10, null, "qq"u8);
            Assert.Equal("XYc\nZZf\nqq\x01"u8.ToArray(), m[..]);
            Assert.Equal(TempFile.Lines, file.ReadAll());

            Assert.Throws<NotSupportedException>(() => m.Resize(2 * MapSize));
            using (var view = m.AcquireMemory())
            {
                view.Memory.Span[0] = (byte)'!'; // memoryview(C).readonly is False
            }

            Assert.Equal((byte)'!', m[0]);
        }

        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    [Fact]
    public void Default_IsSharedAndWritable()
    {
        using var file = new TempFile(TempFile.Lines);
        using (var m = file.Map())
        {
            Assert.Equal(MapAccess.Default, m.Access);
            Assert.Equal(MapFlags.Shared, m.Flags);
            Assert.Equal(MapProtection.ReadWrite, m.Protection);
            m[0] = (byte)'A';
            Assert.Equal((byte)'A', file.ReadAll()[0]);
        }
    }

    [Fact]
    public void DefaultWithPrivateFlags_WritesArePrivate_ResizeExtendsTheFile()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map(flags: MapFlags.Private);
        Assert.Equal(MapAccess.Default, m.Access);
        Assert.StartsWith("MemoryMap(closed=False, access=Default,", m.ToString(), StringComparison.Ordinal);
        m[0] = (byte)'A';
        m.Flush();
        Assert.Equal("Abc"u8.ToArray(), m[0..3]);
        Assert.Equal("abc"u8.ToArray(), file.ReadAll()[..3]);

        m.Resize(20); // allowed for ACCESS_DEFAULT, and the file is extended
        Assert.Equal(20, m.Length);
        Assert.Equal(20, file.FileLength);
    }

    [Fact]
    public void ProtRead_IsReadOnly()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map(protection: MapProtection.Read);
        Assert.Equal(MapAccess.Read, m.Access);
        Assert.Equal(TempFile.Lines, m[..]);
        AssertReadOnly(m);
        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    [Fact]
    public void ProtWriteOnly_IsAccessWrite_ReadableAndResizable()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map(protection: MapProtection.Write);
        Assert.Equal(MapAccess.Write, m.Access);
        Assert.True(m.CanRead); // PROT_WRITE implies read on Linux
        Assert.Equal((byte)'a', m[0]);
        m[0] = (byte)'W';
        Assert.Equal((byte)'W', file.ReadAll()[0]);
        m.Resize(20);
        Assert.Equal(20, file.FileLength);
    }

    [Theory]
    [InlineData(MapAccess.Default)]
    [InlineData(MapAccess.Write)]
    public void ReadOnlyHandle_WritableAccess_IsPermissionDenied(MapAccess access)
    {
        using var file = new TempFile(TempFile.Lines);
        using SafeFileHandle handle = file.OpenReadOnly();
        var error = Assert.Throws<UnauthorizedAccessException>(() => new MemoryMap(handle, 0, access: access));
        var inner = Assert.IsType<MapIOException>(error.InnerException);
        Assert.Equal(13, inner.ErrorNumber);
    }

    [Fact]
    public void ReadOnlyHandle_ReadAccess_Works()
    {
        using var file = new TempFile(TempFile.Lines);
        using SafeFileHandle handle = file.OpenReadOnly();
        using var m = new MemoryMap(handle, 0, access: MapAccess.Read);
        Assert.Equal(TempFile.Lines, m[..]);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => m[0] = 1);
#pragma warning restore OVL001
    }

    [Fact]
    public void ReadOnlyHandle_CopyAccess_WritesArePrivate()
    {
        using var file = new TempFile(TempFile.Lines);
        using (SafeFileHandle handle = file.OpenReadOnly())
        using (var m = new MemoryMap(handle, 0, access: MapAccess.Copy))
        {
            m[0] = (byte)'Q';
            Assert.Equal((byte)'Q', m[0]);
        }

        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    [Fact]
    public void ReadOnlyHandle_ProtRead_IsAccessRead()
    {
        using var file = new TempFile(TempFile.Lines);
        using SafeFileHandle handle = file.OpenReadOnly();
        using var m = new MemoryMap(handle, 0, protection: MapProtection.Read);
        Assert.Equal(MapAccess.Read, m.Access);
        Assert.StartsWith("MemoryMap(closed=False, access=Read,", m.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyHandle_PrivateFlags_ResizeFailsWithEinval_NothingChanges()
    {
        using var file = new TempFile(TempFile.Lines);
        using SafeFileHandle handle = file.OpenReadOnly();
        using var m = new MemoryMap(handle, 0, flags: MapFlags.Private);
        m[0] = (byte)'P'; // private and writable
        var error = Assert.Throws<MapIOException>(() => m.Resize(20)); // ftruncate on a read-only descriptor
        Assert.Equal(22, error.ErrorNumber);
        Assert.Equal(11, m.Length);
        Assert.Equal((byte)'P', m[0]);
        Assert.Equal(11, file.FileLength);
    }

    [Fact]
    public void WriteOnlyHandle_WriteAccess_IsPermissionDenied()
    {
        using var file = new TempFile(TempFile.Lines);
        using SafeFileHandle handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        var error = Assert.Throws<UnauthorizedAccessException>(() => new MemoryMap(handle, 0, access: MapAccess.Write));
        Assert.Equal(13, Assert.IsType<MapIOException>(error.InnerException).ErrorNumber);
    }

    [Fact]
    public void Open_ReadAndCopy_OpenTheFileReadOnly()
    {
        using var file = new TempFile(TempFile.Lines);
        using (var r = MemoryMap.Open(file.Path, MapAccess.Read))
        {
            Assert.Equal(MapAccess.Read, r.Access);
            Assert.Equal(TempFile.Lines, r[..]);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
            Assert.Throws<NotSupportedException>(() => r[0] = 1);
#pragma warning restore OVL001
        }

        using (var c = MemoryMap.Open(file.Path, MapAccess.Copy))
        {
            c[0] = (byte)'C';
            Assert.Equal((byte)'C', c[0]);
#pragma warning disable OVL002 // the write proves the run-time check; the analyzer reports it at compile time
            Assert.Throws<NotSupportedException>(() => c.Resize(20));
#pragma warning restore OVL002
        }

        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    [Fact]
    public void ProtReadExecute_IsReadOnly()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map(protection: MapProtection.Read | MapProtection.Execute);
        Assert.Equal(MapAccess.Read, m.Access);
        Assert.Throws<NotSupportedException>(() => m.Write("x"u8));
        Assert.Equal((byte)'a', m[0]);
    }

    [Fact]
    public void Anonymous_AccessModes()
    {
        using (var r = MemoryMap.Anonymous(16, access: MapAccess.Read))
        {
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
            Assert.Throws<NotSupportedException>(() => r[0] = 1);
#pragma warning restore OVL001
            Assert.Equal(new byte[16], r[..]);
        }

        using (var c = MemoryMap.Anonymous(16, access: MapAccess.Copy))
        {
            c[0] = 1;
            Assert.Equal(1, c[0]);
        }

        using (var p = MemoryMap.Anonymous(16, flags: MapFlags.Private))
        {
            p[15] = 7;
            Assert.Equal(7, p[-1]);
        }
    }
}
