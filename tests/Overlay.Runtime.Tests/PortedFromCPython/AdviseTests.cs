using System;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>test_madvise and the rows of §9 on <c>A(2P)</c>.</summary>
public sealed class AdviseTests : IDisposable
{
    private static readonly long P = MemoryMap.PageSize;
    private readonly MemoryMap _a = MemoryMap.Anonymous(2 * MemoryMap.PageSize);

    public void Dispose() => _a.Dispose();

    public static TheoryData<long, long?> ValidRanges() => new()
    {
        { 0, null },
        { P, null },
        { P, P },
        { 0, 2 },
        { 0, 0 },
        { 0, 10 * P },
        { 0, long.MaxValue }, // sys.maxsize: clamped to the end
        { P, long.MaxValue - P }, // the largest length that does not overflow start + length
    };

    [Theory]
    [MemberData(nameof(ValidRanges))]
    public void Normal_OnValidRanges(long start, long? length)
    {
        _a[0] = 5;
        _a.Advise(MapAdvice.Normal, start, length);
        Assert.Equal(5, _a[0]); // NORMAL changes nothing
    }

    [Fact]
    public void DefaultArguments_CoverTheMap()
    {
        _a.Advise(MapAdvice.Normal);
        _a.Advise(MapAdvice.Sequential);
        _a.Advise(MapAdvice.Random, P);
        _a.Advise(MapAdvice.WillNeed, 0, P);
    }

    [Fact]
    public void UnalignedStart_IsArgumentException()
    {
        // Python: OE EINVAL from madvise; Overlay checks it before the call.
        Assert.Throws<ArgumentException>(() => _a.Advise(MapAdvice.Normal, 1));
    }

    [Theory]
    [InlineData(2L)] // start == len (in pages)
    [InlineData(3L)]
    [InlineData(-1L)]
    public void StartOutOfBounds_IsOutOfRange(long startPages)
    {
        long start = startPages < 0 ? startPages : startPages * P;
        Assert.Throws<ArgumentOutOfRangeException>(() => _a.Advise(MapAdvice.Normal, start));
    }

    [Fact]
    public void NegativeLength_IsOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _a.Advise(MapAdvice.Normal, 0, -1));
    }

    [Fact]
    public void LengthOverflowingTheStart_IsOutOfRange()
    {
        // Python: OverflowError "madvise length too large" for (P, sys.maxsize).
        Assert.Throws<ArgumentOutOfRangeException>(() => _a.Advise(MapAdvice.Normal, P, long.MaxValue));
    }

    [Theory]
    [InlineData(9999)]
    [InlineData(-1)]
    public void UnknownAdvice_IsRefusedBeforeTheKernel(int advice)
    {
        // Deliberate difference (docs/errors.md D21): CPython passes it on (EINVAL here); only named advice reaches the kernel.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _a.Advise((MapAdvice)advice));
        Assert.Equal("advice", error.ParamName);
    }

    [Theory]
    [InlineData(MapAdvice.HardwarePoison)]
    [InlineData(MapAdvice.SoftOffline)]
    public void PageTakingAdvice_IsRefused(MapAdvice advice)
    {
        // Deliberate difference: refused before the call, because the next access would fault.
        _a[0] = 9;
        Assert.Throws<NotSupportedException>(() => _a.Advise(advice));
        Assert.Equal(9, _a[0]);
    }

    [Fact]
    public void ReadMap_WillNeed()
    {
        using var file = new TempFile(TempFile.Lines);
        using var r = file.Map(access: MapAccess.Read);
        r.Advise(MapAdvice.WillNeed);
        Assert.Equal(TempFile.Lines, r[..]);
    }

    [Fact]
    public void DontNeed_OnACopyMap_RestoresTheFileBytes()
    {
        using var file = new TempFile(TempFile.Lines);
        using var c = file.Map(access: MapAccess.Copy);
        c[0] = 66;
        Assert.Equal(66, c[0]);
        c.Advise(MapAdvice.DontNeed);
        Assert.Equal(97, c[0]); // the private change is discarded
        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    [Fact]
    public void DontNeed_OnPrivateAnonymous_Zeroes()
    {
        using var m = MemoryMap.Anonymous(2 * P, flags: MapFlags.Private);
        m[0] = 1;
        m[P] = 2;
        m.Advise(MapAdvice.DontNeed, P);
        Assert.Equal(1, m[0]); // outside the range: kept
        Assert.Equal(0, m[P]);
        m.Advise(MapAdvice.DontNeed);
        Assert.Equal(new byte[2 * P], m[..]);
    }

    [Fact]
    public void DontNeed_OnSharedFileMap_KeepsTheData()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        m[0] = 66;
        m.Advise(MapAdvice.DontNeed);
        Assert.Equal(66, m[0]); // shared pages are backed by the file
    }
}
