using System;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>
/// test_context_manager, test_context_manager_exception and the rows of §16 and §15 about
/// closing with live exports. Python's <c>with</c> is C#'s <c>using</c> (Dispose).
/// </summary>
public class ContextManagerTests
{
    [Fact]
    public void Using_ClosesTheMap()
    {
        MemoryMap outer;
        using (var m = MemoryMap.Anonymous(16))
        {
            outer = m;
            Assert.False(m.IsClosed);
            m.Write("x"u8);
        }

        Assert.True(outer.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => outer.Length);
    }

    [Fact]
    public void Using_FileMapClosesAndKeepsTheWrites()
    {
        using var file = new TempFile(TempFile.Lines);
        MemoryMap outer;
        using (outer = file.Map())
        {
            outer[0] = (byte)'U';
        }

        Assert.True(outer.IsClosed);
        Assert.Equal((byte)'U', file.ReadAll()[0]);
    }

    [Fact]
    public void ExceptionInsideUsing_PropagatesAndTheMapIsClosed()
    {
        MemoryMap? seen = null;
        Action body = () =>
        {
            using var m = MemoryMap.Anonymous(16);
            seen = m;
            throw new InvalidOperationException("inside");
        };
        var error = Assert.Throws<InvalidOperationException>(body);
        Assert.Equal("inside", error.Message);
        Assert.NotNull(seen);
        Assert.True(seen.IsClosed);
    }

    [Fact]
    public void CloseInsideUsing_ThenDispose_IsADoubleClose()
    {
        MemoryMap outer;
        using (outer = MemoryMap.Anonymous(16))
        {
            outer.Close();
            Assert.True(outer.IsClosed);
        }

        Assert.True(outer.IsClosed);
    }

    [Fact]
    public void DisposeOnAClosedMap_IsANoOp()
    {
        // Python's `with` on a closed map raises from __enter__; C#'s using has no enter step,
        // and Dispose (like __exit__ on a closed map) just closes again.
        var m = MemoryMap.Anonymous(16);
        m.Close();
        m.Dispose();
        m.Dispose();
        Assert.True(m.IsClosed);
    }

    [Fact]
    public void CloseWithALiveExport_IsRefused_MapStaysOpen()
    {
        using var file = new TempFile(TempFile.Lines);
        var m = file.Map();
        var view = m.AcquireMemory();
        Assert.Throws<InvalidOperationException>(() => m.Close());
        Assert.Throws<InvalidOperationException>(() => m.Dispose());
        Assert.False(m.IsClosed);
        view.Memory.Span[0] = 90; // still valid
        Assert.Equal(90, m[0]);
        ((IDisposable)view).Dispose();
        m.Close();
        Assert.True(m.IsClosed);
    }

    [Fact]
    public void CloseWithOneOfTwoExportsAlive_IsRefused()
    {
        var m = MemoryMap.Anonymous(16);
        var whole = m.AcquireReadOnlyMemory();
        var part = m.AcquireMemory(1, 2); // like a view slice mv[1:3]
        whole.Dispose();
        Assert.Throws<InvalidOperationException>(() => m.Close());
        Assert.False(m.IsClosed);
        ((IDisposable)part).Dispose();
        m.Close();
        Assert.True(m.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => part.Memory.Span[0]);
    }

    [Fact]
    public void UsingWithALiveExport_ThrowsFromDispose()
    {
        MappedMemory? view = null;
        MemoryMap? seen = null;
        Assert.Throws<InvalidOperationException>(() =>
        {
            using var m = MemoryMap.Anonymous(16);
            seen = m;
            view = m.AcquireMemory();
        });
        Assert.NotNull(seen);
        Assert.False(seen.IsClosed);
        ((IDisposable)view!).Dispose();
        seen.Dispose();
        Assert.True(seen.IsClosed);
    }

    [Fact]
    public void LiveLineEnumeration_BlocksClose()
    {
        var m = MemoryMap.Anonymous(4);
        m[..] = "a\nb\n"u8.ToArray();
        foreach (ReadOnlySpan<byte> line in m.EnumerateLines())
        {
            Assert.Throws<InvalidOperationException>(() => m.Close());
            Assert.Equal("a\n"u8.ToArray(), line.ToArray());
            break;
        }

        m.Close();
        Assert.True(m.IsClosed);
    }

    [Fact]
    public void CopiedBytes_DoNotBlockClose()
    {
        // bytearray(m) is a copy: it does not hold the map.
        var m = MemoryMap.Anonymous(4);
        byte[] copy = m[..];
        m.Close();
        Assert.Equal(new byte[4], copy);
    }
}
