using System;
using System.IO;
using Xunit;

namespace Overlay.Tests;

/// <summary>Regressions found while writing docs/errors.md: each asserts CPython 3.13's behaviour.</summary>
public sealed class ErrorsDocRegressionTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"overlay-errorsdoc-{Guid.NewGuid():N}.bin");

    public ErrorsDocRegressionTests() => File.WriteAllBytes(_path, "abc\ndef\nghi"u8.ToArray());

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void ResizeToTheSameLengthStillSetsTheFileSize()
    {
        // Python: mmap(fd, 5).resize(5) calls ftruncate(fd, 5): the 11-byte file becomes 5 bytes.
        using (var map = MemoryMap.Open(_path, length: 5))
        {
            map.Resize(5);
            Assert.Equal(5, map.Length);
            Assert.Equal(5, map.Size());
        }

        Assert.Equal("abc\nd"u8.ToArray(), File.ReadAllBytes(_path));
    }

    [Fact]
    public void ResizeToTheSameLengthOfAnonymousMemoryChangesNothing()
    {
        using var map = MemoryMap.Anonymous(MemoryMap.PageSize);
        map[0] = 7;
        map.Resize(MemoryMap.PageSize);
        Assert.Equal(MemoryMap.PageSize, map.Length);
        Assert.Equal(7, map[0]);
    }
}
