using System;
using System.IO;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Tests.Features;
using Xunit;

namespace Overlay.Tests.Safety;

/// <summary>
/// Issue 14, hole 5: <c>mremap</c> cannot grow a mapping that a sub-range <c>Advise</c> or
/// <c>Lock</c> split into several VMAs (EFAULT); <see cref="MemoryMap.Resize"/> then maps afresh.
/// Each test runs with <c>mremap</c> and with the path that never uses it (macOS's), so CI covers both.
/// </summary>
public class ResizeFallbackTests
{
    public static TheoryData<bool> RemapChoices => new() { true, false };

    [Theory]
    [MemberData(nameof(RemapChoices))]
    public void FileMapGrowsAfterASubRangeAdvise(bool useRemap)
    {
        long page = MemoryMap.PageSize;
        using var file = FeatureTempFile.WithPattern((int)(2 * page));
        byte[] before = file.ReadAll();
        using MemoryMap map = Create(useRemap, () => MemoryMap.Open(file.Path));
        map.Advise(MapAdvice.Random, 0, page);

        map.Resize(8 * page);

        Assert.Equal(8 * page, map.Length);
        Assert.Equal(8 * page, new FileInfo(file.Path).Length);
        Assert.Equal(before, map[..(int)(2 * page)]);
        Assert.Equal(new byte[6 * page], map[(int)(2 * page)..]);
        map[-1] = 0xAA;
        map.Flush();
        Assert.Equal(0xAA, file.ReadAll()[^1]);
    }

    // Issue 11: the other cause named there. mlock of one page splits the mapping as madvise does.
    // (Protect changes the whole map only, so it cannot split one: there is no sub-range Protect.)
    [Theory]
    [MemberData(nameof(RemapChoices))]
    public void FileMapGrowsAfterASubRangeLock(bool useRemap)
    {
        long page = MemoryMap.PageSize;
        using var file = FeatureTempFile.WithPattern((int)(3 * page));
        byte[] before = file.ReadAll();
        using MemoryMap map = Create(useRemap, () => MemoryMap.Open(file.Path));
        map.Lock(page, page);

        map.Resize(8 * page);

        Assert.Equal(8 * page, map.Length);
        Assert.Equal(before, map[..(int)(3 * page)]);
        Assert.Equal(new byte[5 * page], map[(int)(3 * page)..]);
        map[-1] = 0xAB;
        map.Flush();
        Assert.Equal(0xAB, file.ReadAll()[^1]);
    }

    [Theory]
    [MemberData(nameof(RemapChoices))]
    public void FileMapShrinksAfterASubRangeAdvise(bool useRemap)
    {
        long page = MemoryMap.PageSize;
        using var file = FeatureTempFile.WithPattern((int)(4 * page));
        byte[] before = file.ReadAll();
        using MemoryMap map = Create(useRemap, () => MemoryMap.Open(file.Path));
        map.Advise(MapAdvice.Random, page, page);

        map.Resize(page + 10);

        Assert.Equal(page + 10, map.Length);
        Assert.Equal(page + 10, new FileInfo(file.Path).Length);
        Assert.Equal(before[..(int)(page + 10)], map[..]);
        map.Resize(3 * page);
        Assert.Equal(new byte[(2 * page) - 10], map[(int)(page + 10)..]);
    }

    [Theory]
    [MemberData(nameof(RemapChoices))]
    public void PrivateAnonymousMemoryGrowsWithItsContentsAfterASubRangeAdvise(bool useRemap)
    {
        long page = MemoryMap.PageSize;
        using MemoryMap map = Create(useRemap, () => MemoryMap.Anonymous(3 * page, MapFlags.Private));
        for (long i = 0; i < map.Length; i += 97)
        {
            map[i] = (byte)(i % 251);
        }

        map.Advise(MapAdvice.Random, page, page);
        map.Resize(9 * page);

        for (long i = 0; i < 3 * page; i += 97)
        {
            Assert.Equal((byte)(i % 251), map[i]);
        }

        Assert.Equal(new byte[6 * page], map[(int)(3 * page)..]);
    }

    /// <summary>A private file map's changes live only in its pages: mapping the file afresh would lose them.</summary>
    [Theory]
    [MemberData(nameof(RemapChoices))]
    public void PrivateFileMapGrowsWithItsPrivateChanges(bool useRemap)
    {
        long page = MemoryMap.PageSize;
        using var file = FeatureTempFile.WithPattern((int)(2 * page));
        byte[] before = file.ReadAll();
        using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite);
        using MemoryMap map = Create(useRemap, () => new MemoryMap(handle, 0, MapFlags.Private));
        map[1] = 0xEE;
        map[-1] = 0xDD;
        map.Advise(MapAdvice.Random, 0, page);

        map.Resize(4 * page);

        Assert.Equal(0xEE, map[1]);
        Assert.Equal(0xDD, map[(2 * page) - 1]);
        Assert.Equal(before[2], map[2]);
        Assert.Equal(before[1], File.ReadAllBytes(file.Path)[1]);
    }

    /// <summary>Without read access the old pages cannot be copied as they are: the copy must not fault.</summary>
    [Theory]
    [MemberData(nameof(RemapChoices))]
    public void ProtectedAnonymousMemoryGrowsAndKeepsItsProtection(bool useRemap)
    {
        long page = MemoryMap.PageSize;
        using MemoryMap map = Create(useRemap, () => MemoryMap.Anonymous(2 * page, MapFlags.Private));
        map[5] = 55;
        map.Advise(MapAdvice.Random, 0, page);
        map.Protect(MapProtection.None);

        map.Resize(5 * page);

        Assert.Equal(MapProtection.None, map.Protection);
        Assert.Throws<NotSupportedException>(() => map[0]);
        map.Protect(MapProtection.ReadWrite);
        Assert.Equal(55, map[5]);
        Assert.Equal(0, map[-1]);
    }

    [Fact]
    public void RecordFileAppendsPastCapacityAfterMapAdvise()
    {
        string path = Path.Combine(Path.GetTempPath(), $"overlay-advise-{Guid.NewGuid():N}.bin");
        try
        {
            using (var file = RecordFile<AdviseHeader.View, AdviseRecord.View>.Create(path, magic: 0x0A11, initialCapacity: 4))
            {
                file.MinimumGrowthBytes = 1;
                file.Map.Advise(MapAdvice.Sequential, 0, MemoryMap.PageSize);
                for (int i = 0; i < 5000; i++)
                {
                    file.Append().Value = i;
                }
            }

            using var reopened = RecordFile<AdviseHeader.ReadOnlyView, AdviseRecord.ReadOnlyView>.Open(path, 0x0A11, MapAccess.Read);
            Assert.Equal(5000, reopened.Count);
            Assert.Equal(4999, reopened[4999].Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static MemoryMap Create(bool useRemap, Func<MemoryMap> create)
    {
        using (MapPlatform.Override(new FaultyPlatform(useRemap)))
        {
            return create();
        }
    }
}

[MappedLayout]
public partial struct AdviseHeader
{
    [Offset(0)]
    public ulong Reserved;
}

[MappedLayout]
public partial struct AdviseRecord
{
    [Offset(0)]
    public long Value;
}
