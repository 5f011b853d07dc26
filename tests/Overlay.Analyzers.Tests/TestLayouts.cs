namespace Overlay.Analyzers.Tests;

/// <summary>
/// Hand-written views that mirror what the generator emits (docs/layouts.md), added as a file of
/// their own to every test compilation, so tests do not depend on the generator. The analyzers
/// must report nothing in it: its accessors write through maps they were given.
/// </summary>
internal static class TestLayouts
{
    public const string FileName = "Layouts.cs";

    public const string Source = """
        using Overlay;
        using Overlay.Layouts;
        using Overlay.Layouts.Support;

        namespace Game
        {
            public struct Vec3
            {
                public float X;

                public readonly struct View : IMappedView<View>
                {
                    private readonly MemoryMap _map;
                    private readonly long _offset;

                    public View(MemoryMap map, long offset)
                    {
                        map.EnsureRange(offset, 4);
                        _map = map;
                        _offset = offset;
                    }

                    public MemoryMap Map => _map;
                    public long Offset => _offset;

                    public float X
                    {
                        get => ValueAccess.Read<float>(_map, _offset, false);
                        set => ValueAccess.Write<float>(_map, _offset, value, false);
                    }

                    static int IMappedView<View>.SizeInBytes => 4;
                    static ulong IMappedView<View>.LayoutFingerprint => 1UL;
                    static bool IMappedView<View>.IsReadOnly => false;
                    static View IMappedView<View>.Create(MemoryMap map, long offset) => new(map, offset);
                }

                public readonly struct ReadOnlyView : IMappedView<ReadOnlyView>
                {
                    private readonly MemoryMap _map;
                    private readonly long _offset;

                    public ReadOnlyView(MemoryMap map, long offset)
                    {
                        _map = map;
                        _offset = offset;
                    }

                    public MemoryMap Map => _map;
                    public long Offset => _offset;
                    public float X => ValueAccess.Read<float>(_map, _offset, false);

                    static int IMappedView<ReadOnlyView>.SizeInBytes => 4;
                    static ulong IMappedView<ReadOnlyView>.LayoutFingerprint => 1UL;
                    static bool IMappedView<ReadOnlyView>.IsReadOnly => true;
                    static ReadOnlyView IMappedView<ReadOnlyView>.Create(MemoryMap map, long offset) => new(map, offset);
                }
            }

            public struct Record
            {
                public int Id;

                public static void Store(MemoryMap map, long offset, in Record value) => map.WriteAt(offset, value.Id);

                public readonly struct View : IMappedView<View>
                {
                    private readonly MemoryMap _map;
                    private readonly long _offset;

                    public View(MemoryMap map, long offset)
                    {
                        map.EnsureRange(offset, 24);
                        _map = map;
                        _offset = offset;
                    }

                    public MemoryMap Map => _map;
                    public long Offset => _offset;

                    public int Id
                    {
                        get => _map.ReadAt<int>(_offset);
                        set => _map.WriteAt(_offset, value);
                    }

                    public Vec3.View Position => new(_map, _offset + 4);
                    public MappedValueArray<ushort> Slots => new(_map, _offset + 8, 4, false);
                    public void Store(in Record value) => Record.Store(_map, _offset, value);
                    public ReadOnlyView AsReadOnly() => new(_map, _offset);

                    // As the generator emits them for an [Atomic] field.
                    public int AddId(int value) => global::Overlay.Layouts.Support.AtomicAccess.Add<int>(_map, _offset, value);
                    public int IncrementId() => global::Overlay.Layouts.Support.AtomicAccess.Increment<int>(_map, _offset);
                    public int ExchangeId(int value) => global::Overlay.Layouts.Support.AtomicAccess.Exchange<int>(_map, _offset, value);
                    public int CompareExchangeId(int value, int comparand) => global::Overlay.Layouts.Support.AtomicAccess.CompareExchange<int>(_map, _offset, value, comparand);
                    public int VolatileReadId() => global::Overlay.Layouts.Support.AtomicAccess.VolatileRead<int>(_map, _offset);
                    public int AddUp(int a, int b) => a + b;

                    static int IMappedView<View>.SizeInBytes => 24;
                    static ulong IMappedView<View>.LayoutFingerprint => 2UL;
                    static bool IMappedView<View>.IsReadOnly => false;
                    static View IMappedView<View>.Create(MemoryMap map, long offset) => new(map, offset);
                }

                public readonly struct ReadOnlyView : IMappedView<ReadOnlyView>
                {
                    private readonly MemoryMap _map;
                    private readonly long _offset;

                    public ReadOnlyView(MemoryMap map, long offset)
                    {
                        _map = map;
                        _offset = offset;
                    }

                    public MemoryMap Map => _map;
                    public long Offset => _offset;
                    public int Id => _map.ReadAt<int>(_offset);
                    public Vec3.ReadOnlyView Position => new(_map, _offset + 4);
                    public ReadOnlyMappedValueArray<ushort> Slots => new(_map, _offset + 8, 4, false);

                    static int IMappedView<ReadOnlyView>.SizeInBytes => 24;
                    static ulong IMappedView<ReadOnlyView>.LayoutFingerprint => 2UL;
                    static bool IMappedView<ReadOnlyView>.IsReadOnly => true;
                    static ReadOnlyView IMappedView<ReadOnlyView>.Create(MemoryMap map, long offset) => new(map, offset);
                }
            }
        }
        """;

    /// <summary>Wraps statements in a method that has the parameters and helpers the cases use.</summary>
    public static string InMethod(string body) => $$"""
        using System;
        using Microsoft.Win32.SafeHandles;
        using Overlay;
        using Overlay.Layouts;
        using Game;

        class C
        {
            const MapAccess ReadOnlyAccess = MapAccess.Read;
            const MapProtection ReadExecute = MapProtection.Read | MapProtection.Execute;

            void M(bool b, int n, object o, MemoryMap param, SafeFileHandle handle, MapAccess access)
            {
        {{body}}
            }

            static void Reopen(ref MemoryMap map) => map = MemoryMap.Open("other");
            static void Create(out MemoryMap map) => map = MemoryMap.Open("other");
        }
        """;
}
