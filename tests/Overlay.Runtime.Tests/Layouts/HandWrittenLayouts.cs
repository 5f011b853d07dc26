// Hand-written layouts that mirror, member for member, what docs/layouts.md says the generator
// emits for a [MappedLayout] struct (IMappedLayout<T>, SizeInBytes, LayoutFingerprint, Offsets,
// LayoutInfo, Load/Store, View and ReadOnlyView implementing IMappedView<T>). They exist so the
// runtime collections can be tested before the generator lands; replace them with generated
// layouts (the same fields, hence the same fingerprints) once it does. They deliberately carry no
// [MappedLayout] attribute, so the generator will not emit a second copy of these members.
using System;

namespace Overlay.Tests.Layouts;

/// <summary>
/// Mirrors <c>[MappedLayout] partial struct TestHeader { uint Version; long CreatedTicks; }</c>:
/// sequential, 12 bytes.
/// </summary>
public struct TestHeader : IMappedLayout<TestHeader>
{
    public uint Version;
    public long CreatedTicks;

    public const int SizeInBytes = 12;

    // FNV-1a 64 of "size=12;Version:u32:0:4:le:0;CreatedTicks:i64:4:8:le:0;" (checked by LayoutFingerprintTests).
    public const ulong LayoutFingerprint = 0xB1D721D55C262466UL;

    public static class Offsets
    {
        public const int Version = 0;
        public const int CreatedTicks = 4;
    }

    public static LayoutInfo LayoutInfo { get; } = new(
        "Overlay.Tests.Layouts.TestHeader",
        SizeInBytes,
        LayoutFingerprint,
        new LayoutField[]
        {
            new("Version", 0, 4, LayoutFieldKind.Primitive, "uint", false),
            new("CreatedTicks", 4, 8, LayoutFieldKind.Primitive, "long", false),
        });

    static int IMappedLayout<TestHeader>.SizeInBytes => SizeInBytes;

    static ulong IMappedLayout<TestHeader>.LayoutFingerprint => LayoutFingerprint;

    static LayoutInfo IMappedLayout<TestHeader>.LayoutInfo => LayoutInfo;

    public static TestHeader Load(MemoryMap map, long offset)
    {
        ArgumentNullException.ThrowIfNull(map);
        map.EnsureRange(offset, SizeInBytes);
        return new TestHeader
        {
            Version = ValueAccess.Read<uint>(map, offset + 0, false),
            CreatedTicks = ValueAccess.Read<long>(map, offset + 4, false),
        };
    }

    public static void Store(MemoryMap map, long offset, in TestHeader value)
    {
        ArgumentNullException.ThrowIfNull(map);
        map.EnsureRange(offset, SizeInBytes);
        ValueAccess.Write(map, offset + 0, value.Version, false);
        ValueAccess.Write(map, offset + 4, value.CreatedTicks, false);
    }

    public readonly struct View : IMappedView<View>
    {
        private readonly MemoryMap _map;
        private readonly long _offset;

        public View(MemoryMap map, long offset)
        {
            ArgumentNullException.ThrowIfNull(map);
            map.EnsureRange(offset, SizeInBytes);
            _map = map;
            _offset = offset;
        }

        public MemoryMap Map => _map;

        public long Offset => _offset;

        public uint Version
        {
            get => ValueAccess.Read<uint>(_map, _offset + 0, false);
            set => ValueAccess.Write(_map, _offset + 0, value, false);
        }

        public long CreatedTicks
        {
            get => ValueAccess.Read<long>(_map, _offset + 4, false);
            set => ValueAccess.Write(_map, _offset + 4, value, false);
        }

        public TestHeader Load() => TestHeader.Load(_map, _offset);

        public void Store(in TestHeader value) => TestHeader.Store(_map, _offset, value);

        public ReadOnlyView AsReadOnly() => new(_map, _offset);

        static int IMappedView<View>.SizeInBytes => SizeInBytes;

        static ulong IMappedView<View>.LayoutFingerprint => LayoutFingerprint;

        static bool IMappedView<View>.IsReadOnly => false;

        static View IMappedView<View>.Create(MemoryMap map, long offset) => new(map, offset);
    }

    public readonly struct ReadOnlyView : IMappedView<ReadOnlyView>
    {
        private readonly MemoryMap _map;
        private readonly long _offset;

        public ReadOnlyView(MemoryMap map, long offset)
        {
            ArgumentNullException.ThrowIfNull(map);
            map.EnsureRange(offset, SizeInBytes);
            _map = map;
            _offset = offset;
        }

        public MemoryMap Map => _map;

        public long Offset => _offset;

        public uint Version => ValueAccess.Read<uint>(_map, _offset + 0, false);

        public long CreatedTicks => ValueAccess.Read<long>(_map, _offset + 4, false);

        public TestHeader Load() => TestHeader.Load(_map, _offset);

        static int IMappedView<ReadOnlyView>.SizeInBytes => SizeInBytes;

        static ulong IMappedView<ReadOnlyView>.LayoutFingerprint => LayoutFingerprint;

        static bool IMappedView<ReadOnlyView>.IsReadOnly => true;

        static ReadOnlyView IMappedView<ReadOnlyView>.Create(MemoryMap map, long offset) => new(map, offset);
    }
}

/// <summary>
/// Mirrors <c>[MappedLayout] partial struct TestRecord { long Id; double Value; int Flags;
/// [FixedString(12)] string Tag; }</c>: sequential, 32 bytes.
/// </summary>
public struct TestRecord : IMappedLayout<TestRecord>
{
    public long Id;
    public double Value;
    public int Flags;
    [FixedString(12)]
    public string Tag;

    public const int SizeInBytes = 32;

    // FNV-1a 64 of "size=32;Id:i64:0:8:le:0;Value:f64:8:8:le:0;Flags:i32:16:4:le:0;Tag:utf8:20:12:le:12;".
    public const ulong LayoutFingerprint = 0x8A02708296D997C9UL;

    public static class Offsets
    {
        public const int Id = 0;
        public const int Value = 8;
        public const int Flags = 16;
        public const int Tag = 20;
    }

    public static LayoutInfo LayoutInfo { get; } = new(
        "Overlay.Tests.Layouts.TestRecord",
        SizeInBytes,
        LayoutFingerprint,
        new LayoutField[]
        {
            new("Id", 0, 8, LayoutFieldKind.Primitive, "long", false),
            new("Value", 8, 8, LayoutFieldKind.Primitive, "double", false),
            new("Flags", 16, 4, LayoutFieldKind.Primitive, "int", false),
            new("Tag", 20, 12, LayoutFieldKind.Utf8String, "string", false, 12),
        });

    static int IMappedLayout<TestRecord>.SizeInBytes => SizeInBytes;

    static ulong IMappedLayout<TestRecord>.LayoutFingerprint => LayoutFingerprint;

    static LayoutInfo IMappedLayout<TestRecord>.LayoutInfo => LayoutInfo;

    public static TestRecord Load(MemoryMap map, long offset)
    {
        ArgumentNullException.ThrowIfNull(map);
        map.EnsureRange(offset, SizeInBytes);
        return new TestRecord
        {
            Id = ValueAccess.Read<long>(map, offset + 0, false),
            Value = ValueAccess.Read<double>(map, offset + 8, false),
            Flags = ValueAccess.Read<int>(map, offset + 16, false),
            Tag = FixedStrings.Read(map, offset + 20, 12, FixedStringEncoding.Utf8),
        };
    }

    public static void Store(MemoryMap map, long offset, in TestRecord value)
    {
        ArgumentNullException.ThrowIfNull(map);
        map.EnsureRange(offset, SizeInBytes);

        // Validate before writing: the only field that can refuse its value is the string, and
        // FixedStrings.Write checks it (and the map's writability) before writing anything, so
        // it goes first. A bad value therefore writes nothing.
        FixedStrings.Write(map, offset + 20, 12, FixedStringEncoding.Utf8, value.Tag);
        ValueAccess.Write(map, offset + 0, value.Id, false);
        ValueAccess.Write(map, offset + 8, value.Value, false);
        ValueAccess.Write(map, offset + 16, value.Flags, false);
    }

    public readonly struct View : IMappedView<View>
    {
        private readonly MemoryMap _map;
        private readonly long _offset;

        public View(MemoryMap map, long offset)
        {
            ArgumentNullException.ThrowIfNull(map);
            map.EnsureRange(offset, SizeInBytes);
            _map = map;
            _offset = offset;
        }

        public MemoryMap Map => _map;

        public long Offset => _offset;

        public long Id
        {
            get => ValueAccess.Read<long>(_map, _offset + 0, false);
            set => ValueAccess.Write(_map, _offset + 0, value, false);
        }

        public double Value
        {
            get => ValueAccess.Read<double>(_map, _offset + 8, false);
            set => ValueAccess.Write(_map, _offset + 8, value, false);
        }

        public int Flags
        {
            get => ValueAccess.Read<int>(_map, _offset + 16, false);
            set => ValueAccess.Write(_map, _offset + 16, value, false);
        }

        public string Tag
        {
            get => FixedStrings.Read(_map, _offset + 20, 12, FixedStringEncoding.Utf8);
            set => FixedStrings.Write(_map, _offset + 20, 12, FixedStringEncoding.Utf8, value);
        }

        public TestRecord Load() => TestRecord.Load(_map, _offset);

        public void Store(in TestRecord value) => TestRecord.Store(_map, _offset, value);

        public ReadOnlyView AsReadOnly() => new(_map, _offset);

        static int IMappedView<View>.SizeInBytes => SizeInBytes;

        static ulong IMappedView<View>.LayoutFingerprint => LayoutFingerprint;

        static bool IMappedView<View>.IsReadOnly => false;

        static View IMappedView<View>.Create(MemoryMap map, long offset) => new(map, offset);
    }

    public readonly struct ReadOnlyView : IMappedView<ReadOnlyView>
    {
        private readonly MemoryMap _map;
        private readonly long _offset;

        public ReadOnlyView(MemoryMap map, long offset)
        {
            ArgumentNullException.ThrowIfNull(map);
            map.EnsureRange(offset, SizeInBytes);
            _map = map;
            _offset = offset;
        }

        public MemoryMap Map => _map;

        public long Offset => _offset;

        public long Id => ValueAccess.Read<long>(_map, _offset + 0, false);

        public double Value => ValueAccess.Read<double>(_map, _offset + 8, false);

        public int Flags => ValueAccess.Read<int>(_map, _offset + 16, false);

        public string Tag => FixedStrings.Read(_map, _offset + 20, 12, FixedStringEncoding.Utf8);

        public TestRecord Load() => TestRecord.Load(_map, _offset);

        static int IMappedView<ReadOnlyView>.SizeInBytes => SizeInBytes;

        static ulong IMappedView<ReadOnlyView>.LayoutFingerprint => LayoutFingerprint;

        static bool IMappedView<ReadOnlyView>.IsReadOnly => true;

        static ReadOnlyView IMappedView<ReadOnlyView>.Create(MemoryMap map, long offset) => new(map, offset);
    }
}
