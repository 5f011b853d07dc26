using System;
using Overlay.Layouts;
using Overlay.Layouts.Support;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>
/// <see cref="IMappedView{TSelf}.Create(CheckedOffset)"/>: how <see cref="MappedArray{TView}"/> and
/// <see cref="RecordFile{THeaderView, TRecordView}"/> make views without their constructor's checks.
/// </summary>
public class CheckedOffsetTests
{
    /// <summary>A view written by hand, without the CheckedOffset overload: the interface's default applies.</summary>
    private readonly struct HandView : IMappedView<HandView>
    {
        private HandView(MemoryMap map, long offset)
        {
            Map = map;
            Offset = offset;
        }

        public static int SizeInBytes => 8;

        public static ulong LayoutFingerprint => 1;

        public static bool IsReadOnly => false;

        public static int Created { get; private set; }

        public MemoryMap Map { get; }

        public long Offset { get; }

        public long Value => Map.ReadAt<long>(Offset);

        public static HandView Create(MemoryMap map, long offset)
        {
            ArgumentNullException.ThrowIfNull(map);
            Created++;
            return new HandView(map, offset);
        }
    }

    private static TView Make<TView>(CheckedOffset position)
        where TView : struct, IMappedView<TView> => TView.Create(position);

    [Fact]
    public void AHandWrittenViewIsMadeThroughItsCheckedCreate()
    {
        using MemoryMap map = MemoryMap.Anonymous(64);
        map.WriteAt(24, 42L);
        var array = new MappedArray<HandView>(map, 8, 3);
        int before = HandView.Created;
        HandView view = array[2];
        Assert.Equal(before + 1, HandView.Created);
        Assert.Equal(24, view.Offset);
        Assert.Equal(42L, view.Value);

        // default(CheckedOffset) goes through the checked Create, which refuses its null map.
        Assert.Throws<ArgumentNullException>(() => Make<HandView>(default));
    }

    [Fact]
    public void AGeneratedViewOfTheDefaultPositionThrowsOnUse()
    {
        // The only CheckedOffset code outside the runtime can make: a null map, offset 0. The view
        // skips its constructor's checks, and every access throws instead of reading anything.
        TestRecord.View view = Make<TestRecord.View>(default);
        Assert.Null(MappedView.MapOf(view));
        Assert.Equal(0, MappedView.OffsetOf(view));
        Assert.Throws<NullReferenceException>(() => view.Id);
        Assert.Throws<NullReferenceException>(() => view.Id = 1);
        Assert.Throws<ArgumentNullException>(() => view.Tag); // FixedStrings checks its map itself
        TestRecord.ReadOnlyView readOnly = Make<TestRecord.ReadOnlyView>(default);
        Assert.Throws<NullReferenceException>(() => readOnly.Value);
    }

    [Fact]
    public void ArrayViewsAreTheConstructorsViews()
    {
        using MemoryMap map = MemoryMap.Anonymous(4 * TestRecord.SizeInBytes);
        var records = new MappedArray<TestRecord.View>(map, TestRecord.SizeInBytes, 3);
        for (int i = 0; i < 3; i++)
        {
            records.At(i).Id = 100 + i;
            var made = new TestRecord.View(map, TestRecord.SizeInBytes * (i + 1));
            Assert.Equal(MappedView.OffsetOf(made), MappedView.OffsetOf(records[i]));
            Assert.Same(MappedView.MapOf(made), MappedView.MapOf(records[i]));
            Assert.Equal(100 + i, made.Id);
        }

        Assert.Equal(0, new TestRecord.View(map, 0).Id);
    }
}
