using System;
using System.IO;
using Xunit;

namespace Overlay.Tests.Platforms;

/// <summary>
/// <see cref="MemoryMap.CreateNamed"/>/<see cref="MemoryMap.OpenNamed"/>: Python's Windows-only
/// <c>tagname</c>, over <c>shm_open</c> on Linux and macOS and a named mapping object on Windows.
/// </summary>
public class NamedMapTests
{
    private static string UniqueName() => $"ovl-{Guid.NewGuid():N}"[..24];

    [Fact]
    public void AnOpenedMapSeesTheCreatorsBytesAndTheCreatorSeesItsWrites()
    {
        string name = UniqueName();
        using MemoryMap created = MemoryMap.CreateNamed(name, 10_000);
        Assert.Equal(10_000, created.Length);
        Assert.Equal(name, created.Name);
        Assert.Equal(new byte[10_000], created[..]);
        created[0..3] = "abc"u8.ToArray();

        using MemoryMap opened = MemoryMap.OpenNamed(name);
        Assert.Equal(10_000, opened.Length);
        Assert.Equal("abc"u8.ToArray(), opened[0..3]);
        opened[-1] = 0x7F;
        Assert.Equal(0x7F, created[-1]);
        Assert.Equal(10_000, opened.Size());
    }

    [Fact]
    public void AReadOnlyOpenRefusesWrites()
    {
        string name = UniqueName();
        using MemoryMap created = MemoryMap.CreateNamed(name, 100);
        created[5] = 5;
        using MemoryMap opened = MemoryMap.OpenNamed(name, MapAccess.Read);
        Assert.Equal(5, opened[5]);
        Assert.False(opened.CanWrite);
        Assert.Throws<NotSupportedException>(() => opened[5] = 6);
    }

    [Fact]
    public void CreatingAnExistingNameFailsWithEExist()
    {
        string name = UniqueName();
        using MemoryMap created = MemoryMap.CreateNamed(name, 100);
        MapIOException error = Assert.Throws<MapIOException>(() => MemoryMap.CreateNamed(name, 100));
        Assert.Equal(17, error.ErrorNumber);
    }

    [Fact]
    public void OpeningAMissingNameIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => MemoryMap.OpenNamed(UniqueName()));

    [Fact]
    public void TheCreatorsCloseEndsTheNameOnUnixButMapsOpenedBeforeKeepTheMemory()
    {
        string name = UniqueName();
        MemoryMap created = MemoryMap.CreateNamed(name, 100);
        using MemoryMap opened = MemoryMap.OpenNamed(name);
        created[1] = 11;
        created.Close();

        Assert.Equal(11, opened[1]);
        if (!OperatingSystem.IsWindows())
        {
            // Windows keeps the name while any map of it is open.
            Assert.Throws<FileNotFoundException>(() => MemoryMap.OpenNamed(name));
        }
    }

    [Fact]
    public void ANamedMapCannotBeResized()
    {
        using MemoryMap created = MemoryMap.CreateNamed(UniqueName(), 100);
        Assert.Throws<NotSupportedException>(() => created.Resize(50));
        Assert.Equal(100, created.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has/slash")]
    [InlineData("has space")]
    [InlineData("Local\\name")]
    [InlineData("a-name-that-is-31-characters-xx")]
    public void BadNamesAreRefusedBeforeAnySystemCall(string name)
    {
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => MemoryMap.CreateNamed(name, 10)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => MemoryMap.OpenNamed(name)).ParamName);
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        Assert.Throws<ArgumentNullException>(() => MemoryMap.CreateNamed(null!, 10));
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.CreateNamed(UniqueName(), 0)).ParamName);
        Assert.Equal("access", Assert.Throws<ArgumentException>(() => MemoryMap.OpenNamed(UniqueName(), MapAccess.Copy)).ParamName);
        Assert.Equal("access", Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.OpenNamed(UniqueName(), (MapAccess)7)).ParamName);
    }

    [Fact]
    public void UseAfterCloseThrows()
    {
        MemoryMap created = MemoryMap.CreateNamed(UniqueName(), 10);
        created.Close();
        Assert.Throws<ObjectDisposedException>(() => created.Name);
        Assert.Throws<ObjectDisposedException>(() => created[0]);
    }
}
