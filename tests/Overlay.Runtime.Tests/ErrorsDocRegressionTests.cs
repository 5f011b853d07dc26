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

    // The run-time check is what these tests prove; the analyzer reports the same call at compile time.
#pragma warning disable OVL003, OVL004
    [Fact]
    public void ANegativeLengthIsReportedBeforeAccessWithFlags()
    {
        // Python: mmap(fd, -1, access=ACCESS_READ, flags=MAP_PRIVATE) -> OverflowError (length first).
        using var file = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(file, -1, flags: MapFlags.Private, access: MapAccess.Read));
        Assert.Equal("length", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(file, 0, flags: MapFlags.Private, access: MapAccess.Read, offset: -1));
        Assert.Equal("offset", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.Anonymous(-1, flags: MapFlags.Private, access: MapAccess.Read));
    }

    [Fact]
    public void AccessWithFlagsIsReportedBeforeAnUnknownAccess()
    {
        // Python: mmap(fd, 0, access=4, flags=MAP_PRIVATE) -> ValueError "can't specify both access and flags, prot."
        using var file = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite);
        var error = Assert.Throws<ArgumentException>(() => new MemoryMap(file, 0, flags: MapFlags.Private, access: (MapAccess)4));
        Assert.Equal("access", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(file, 0, access: (MapAccess)4));
    }

    [Fact]
    public void AnonymousLengthZeroIsReportedAfterAccessWithFlags()
    {
        // Python: mmap(-1, 0, access=ACCESS_READ, flags=MAP_PRIVATE) -> ValueError; mmap(-1, 0) -> OSError EINVAL.
        Assert.Throws<ArgumentException>(() => MemoryMap.Anonymous(0, flags: MapFlags.Private, access: MapAccess.Read));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.Anonymous(0));
    }

    [Fact]
    public void TheIntConstructorChecksArgumentsBeforeTheDescriptor()
    {
        // Python reaches the descriptor only after the argument checks; Overlay refuses a negative one there.
        var error = Assert.Throws<ArgumentException>(() => new MemoryMap(-2, 16, flags: MapFlags.Private, access: MapAccess.Read));
        Assert.Equal("access", error.ParamName);
        Assert.Equal("fileDescriptor", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMap(-1, 16)).ParamName);
    }
#pragma warning restore OVL003, OVL004
}
