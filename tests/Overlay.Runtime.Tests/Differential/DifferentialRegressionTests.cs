using System;
using System.IO;
using Xunit;

namespace Overlay.Tests.Differential;

/// <summary>
/// Divergences from CPython that the differential test found in <see cref="MemoryMap"/>, each
/// pinned by a direct assertion of CPython 3.13's measured behaviour.
/// </summary>
public sealed class DifferentialRegressionTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "overlay-diff-regression-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    /// <summary>
    /// Python: <c>mmap(fd, 2)</c> over a 7-byte file, then <c>resize(2)</c>: the file is cut to 2
    /// bytes (resize always ftruncates to offset + newsize). Overlay returned early and left 7.
    /// </summary>
    [Fact]
    public void ResizeToTheSameLengthStillTruncatesTheFile()
    {
        File.WriteAllBytes(_path, "abcdefg"u8.ToArray());
        using (var map = MemoryMap.Open(_path, MapAccess.Write, length: 2))
        {
            map.Resize(2);
            Assert.Equal(2, map.Length);
            Assert.Equal(2, map.Size());
        }

        Assert.Equal("ab"u8.ToArray(), File.ReadAllBytes(_path));
    }

    /// <summary>The same with an offset: the file is cut to offset + newsize.</summary>
    [Fact]
    public void ResizeToTheSameLengthWithAnOffsetTruncatesToOffsetPlusLength()
    {
        long page = MemoryMap.PageSize;
        var content = new byte[(2 * page) + 100];
        content.AsSpan().Fill((byte)'x');
        File.WriteAllBytes(_path, content);
        using (var map = MemoryMap.Open(_path, MapAccess.Default, length: 10, offset: page))
        {
            map.Resize(10);
            Assert.Equal(page + 10, map.Size());
        }

        Assert.Equal(page + 10, new FileInfo(_path).Length);
    }
}
