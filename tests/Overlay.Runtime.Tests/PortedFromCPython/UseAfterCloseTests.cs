using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>
/// test_double_close and the use-after-close rows of §2: every public instance member of
/// <see cref="MemoryMap"/> but <see cref="MemoryMap.IsClosed"/>, <see cref="MemoryMap.Close"/>,
/// <see cref="MemoryMap.Dispose"/> and <see cref="MemoryMap.ToString"/> throws
/// <see cref="ObjectDisposedException"/> once the map is closed (Python: ValueError "mmap closed
/// or invalid"), whatever the arguments, on every kind of map, and none faults.
/// </summary>
public class UseAfterCloseTests
{
    /// <summary>Members that work on a closed map.</summary>
    private static readonly HashSet<string> Exempt = ["get_IsClosed()", "Close()", "Dispose()", "ToString()"];

    /// <summary>
    /// Each public instance member, by signature, with calls that would otherwise succeed, be out of
    /// range or be refused for the kind of map: on a closed map the closed check must come first.
    /// </summary>
    private static readonly Dictionary<string, Action<MemoryMap>[]> Calls = new()
    {
        ["get_Length()"] = [m => _ = m.Length],
        ["get_Access()"] = [m => _ = m.Access],
        ["get_Flags()"] = [m => _ = m.Flags],
        ["get_Protection()"] = [m => _ = m.Protection],
        ["get_Offset()"] = [m => _ = m.Offset],
        ["get_Name()"] = [m => _ = m.Name],
        ["get_IsAnonymous()"] = [m => _ = m.IsAnonymous],
        ["get_CanRead()"] = [m => _ = m.CanRead],
        ["get_CanWrite()"] = [m => _ = m.CanWrite],
        // Deliberate difference: CPython 3.13's seekable() returns True on a closed map.
        ["get_Seekable()"] = [m => _ = m.Seekable],
        ["Size()"] = [m => m.Size()],
        ["get_Position()"] = [m => _ = m.Position],
        ["set_Position(Int64)"] = [m => m.Position = 0, m => m.Position = 5, m => m.Position = -1],
        ["Tell()"] = [m => m.Tell()],
        ["Seek(Int64,SeekOrigin)"] =
        [
            m => m.Seek(0),
            m => m.Seek(0, SeekOrigin.Current),
            m => m.Seek(0, SeekOrigin.End),
            m => m.Seek(-1),
            m => m.Seek(0, (SeekOrigin)3),
        ],
        ["Read(Int64)"] = [m => m.Read(), m => m.Read(1), m => m.Read(0), m => m.Read(long.MaxValue)],
        ["Read(Span<Byte>)"] = [m => m.Read(new byte[4].AsSpan()), m => m.Read(Span<byte>.Empty)],
        ["ReadByte()"] = [m => m.ReadByte()],
        ["ReadLine()"] = [m => m.ReadLine()],
        ["EnumerateLines()"] = [m => _ = m.EnumerateLines()],
        ["Write(ReadOnlySpan<Byte>)"] = [m => m.Write("x"u8), m => m.Write(ReadOnlySpan<byte>.Empty), m => m.Write(new byte[100])],
        ["WriteByte(Byte)"] = [m => m.WriteByte(1)],
        ["ReadAt(Int64)"] = [m => m.ReadAt<int>(0), m => m.ReadAt<byte>(-1), m => m.ReadAt<long>(long.MaxValue)],
        ["WriteAt(Int64,T)"] = [m => m.WriteAt(0, 1), m => m.WriteAt(-1, (byte)1), m => m.WriteAt(long.MaxValue, 1L)],
        ["ReadAt(Int64,Span<Byte>)"] = [m => m.ReadAt(0, new byte[2]), m => m.ReadAt(0, Span<byte>.Empty)],
        ["WriteAt(Int64,ReadOnlySpan<Byte>)"] = [m => m.WriteAt(0, "x"u8), m => m.WriteAt(0, ReadOnlySpan<byte>.Empty)],
        ["Fill(Int64,Int64,Byte)"] = [m => m.Fill(0, 1, 0), m => m.Fill(0, 0, 0), m => m.Fill(-1, 1, 0)],
        ["EnsureRange(Int64,Int64)"] = [m => m.EnsureRange(0, 1), m => m.EnsureRange(0, 0)],
        ["get_Item(Int64)"] = [m => _ = m[0], m => _ = m[-1], m => _ = m[100], m => _ = m[long.MinValue]],
        ["set_Item(Int64,Byte)"] = [m => m[0] = 1, m => m[-1] = 1, m => m[100] = 1],
        ["get_Item(Range)"] = [m => _ = m[0..2], m => _ = m[..], m => _ = m[5..1]],
        ["set_Item(Range,Byte[])"] = [m => m[0..1] = [1], m => m[0..2] = [1], m => m[..] = null!],
        ["GetSlice(Nullable<Int64>,Nullable<Int64>,Nullable<Int64>)"] =
        [
            m => m.GetSlice(null, null),
            m => m.GetSlice(0, 2, -1),
            m => m.GetSlice(null, null, 0),
        ],
        ["SetSlice(Nullable<Int64>,Nullable<Int64>,Nullable<Int64>,ReadOnlySpan<Byte>)"] =
        [
            m => m.SetSlice(0, 1, null, "x"u8),
            m => m.SetSlice(0, 3, null, "x"u8),
            m => m.SetSlice(null, null, 0, ReadOnlySpan<byte>.Empty),
        ],
        ["Find(ReadOnlySpan<Byte>,Nullable<Int64>,Nullable<Int64>)"] =
        [
            m => m.Find("a"u8),
            m => m.Find(ReadOnlySpan<byte>.Empty, 0, 0),
            m => m.Find("a"u8, 100, -100),
        ],
        ["RFind(ReadOnlySpan<Byte>,Nullable<Int64>,Nullable<Int64>)"] =
        [
            m => m.RFind("a"u8),
            m => m.RFind(ReadOnlySpan<byte>.Empty, 0, 0),
        ],
        ["Contains(ReadOnlySpan<Byte>)"] = [m => m.Contains("a"u8), m => m.Contains(ReadOnlySpan<byte>.Empty)],
        ["Contains(Byte)"] = [m => m.Contains((byte)'a')],
        ["Flush()"] = [m => m.Flush()],
        ["Flush(Int64,Int64)"] = [m => m.Flush(0, 0), m => m.Flush(0, -1), m => m.Flush(1, 10), m => m.Flush(-1, 5)],
        ["ScheduleFlush()"] = [m => m.ScheduleFlush()],
        ["LockFile(Boolean)"] = [m => m.LockFile(), m => m.LockFile(exclusive: false)],
        ["TryLockFile(Boolean)"] = [m => m.TryLockFile(), m => m.TryLockFile(exclusive: false)],
        ["ScheduleFlush(Int64,Int64)"] = [m => m.ScheduleFlush(0, 0), m => m.ScheduleFlush(1, 10)],
        ["Advise(MapAdvice,Int64,Nullable<Int64>)"] =
        [
            m => m.Advise(MapAdvice.Normal),
            m => m.Advise(MapAdvice.DontNeed, 0, 1),
            m => m.Advise(MapAdvice.Normal, 1),
            m => m.Advise((MapAdvice)9999),
            m => m.Advise(MapAdvice.HardwarePoison),
        ],
        ["Move(Int64,Int64,Int64)"] = [m => m.Move(0, 1, 1), m => m.Move(0, 0, 0), m => m.Move(-1, 0, 1)],
        ["Resize(Int64)"] = [m => m.Resize(20), m => m.Resize(0), m => m.Resize(-1)],
        ["Lock()"] = [m => m.Lock()],
        ["Lock(Int64,Int64)"] = [m => m.Lock(0, 1), m => m.Lock(-1, 1)],
        ["Unlock()"] = [m => m.Unlock()],
        ["Unlock(Int64,Int64)"] = [m => m.Unlock(0, 1), m => m.Unlock(-1, 1)],
        ["Protect(MapProtection)"] = [m => m.Protect(MapProtection.Read), m => m.Protect(MapProtection.ReadWrite)],
        ["AcquireMemory(Int64,Nullable<Int32>)"] = [m => ((IDisposable)m.AcquireMemory()).Dispose(), m => ((IDisposable)m.AcquireMemory(100, 5)).Dispose()],
        ["AcquireReadOnlyMemory(Int64,Nullable<Int32>)"] = [m => m.AcquireReadOnlyMemory().Dispose(), m => m.AcquireReadOnlyMemory(-1).Dispose()],
        ["AsStream()"] = [m => m.AsStream().Dispose()],
    };

    public enum Kind
    {
        FileDefault,
        FileRead,
        FileCopy,
        FileUntracked,
        SharedAnonymous,
        PrivateAnonymous,
    }

    private static (MemoryMap Map, TempFile? File) Create(Kind kind)
    {
        if (kind is Kind.SharedAnonymous or Kind.PrivateAnonymous)
        {
            return (MemoryMap.Anonymous(16, flags: kind == Kind.PrivateAnonymous ? MapFlags.Private : null), null);
        }

        var file = new TempFile(TempFile.Lines);
        MemoryMap map = kind switch
        {
            Kind.FileRead => file.Map(access: MapAccess.Read),
            Kind.FileCopy => file.Map(access: MapAccess.Copy),
            Kind.FileUntracked => file.Map(trackFile: false),
            _ => file.Map(),
        };
        return (map, file);
    }

    private static string Signature(MethodInfo method) =>
        $"{method.Name}({string.Join(",", method.GetParameters().Select(p => TypeName(p.ParameterType)))})";

    private static string TypeName(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(",", type.GetGenericArguments().Select(TypeName))}>"
            : type.Name;

    [Fact]
    public void EveryPublicInstanceMember_IsCovered()
    {
        // When MemoryMap gains a member, this fails until the member is added to Calls (or Exempt).
        string[] members = typeof(MemoryMap)
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(Signature)
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToArray();
        string[] covered = Calls.Keys.Concat(Exempt).OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.Equal(covered, members);
    }

    public static IEnumerable<object[]> Cases() =>
        from kind in Enum.GetValues<Kind>()
        from member in Calls.Keys
        select new object[] { kind, member };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Member_ThrowsObjectDisposedAfterClose(Kind kind, string member)
    {
        (MemoryMap map, TempFile? file) = Create(kind);
        try
        {
            map.Close();
            foreach (Action<MemoryMap> call in Calls[member])
            {
                Assert.Throws<ObjectDisposedException>(() => call(map));
            }

            Assert.True(map.IsClosed);
        }
        finally
        {
            file?.Dispose();
        }

        if (file is not null)
        {
            Assert.False(File.Exists(file.Path));
        }
    }

    [Theory]
    [InlineData(Kind.FileDefault)]
    [InlineData(Kind.FileRead)]
    [InlineData(Kind.FileCopy)]
    [InlineData(Kind.FileUntracked)]
    [InlineData(Kind.SharedAnonymous)]
    [InlineData(Kind.PrivateAnonymous)]
    public void DoubleClose_IsANoOp_AndTheExemptMembersWork(Kind kind)
    {
        (MemoryMap map, TempFile? file) = Create(kind);
        using (file)
        {
            Assert.False(map.IsClosed);
            map.Close();
            Assert.True(map.IsClosed);
            map.Close();
            map.Dispose();
            Assert.True(map.IsClosed);
            Assert.Equal("MemoryMap(closed=True)", map.ToString());
        }
    }

    [Fact]
    public void FileIsUntouchedByUseAfterClose()
    {
        using var file = new TempFile(TempFile.Lines);
        var m = file.Map();
        m.Close();
        Assert.Throws<ObjectDisposedException>(() => m[0] = 1);
        Assert.Throws<ObjectDisposedException>(() => m.Resize(1));
        Assert.Throws<ObjectDisposedException>(() => m.Write("zz"u8));
        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    [Fact]
    public void StreamCreatedBeforeClose_ThrowsAfterClose()
    {
        var m = MemoryMap.Anonymous(16);
        using Stream stream = m.AsStream();
        Assert.True(stream.CanRead);
        m.Close();
        Assert.False(stream.CanRead);
        Assert.False(stream.CanWrite);
        Assert.False(stream.CanSeek);
        Assert.Throws<ObjectDisposedException>(() => stream.ReadByte());
        Assert.Throws<ObjectDisposedException>(() => stream.Read(new byte[2], 0, 2));
        Assert.Throws<ObjectDisposedException>(() => stream.Length);
        Assert.Throws<ObjectDisposedException>(() => stream.Position);
        Assert.Throws<ObjectDisposedException>(() => stream.Write([1], 0, 1));
    }
}
