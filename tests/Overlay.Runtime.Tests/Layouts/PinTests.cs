using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>
/// <see cref="MappedArray{TView}.Pin{TRef}(Action{MappedSpan{TRef}})"/>, <c>PinReadOnly</c> and the
/// spans they hand out: every check and its order, the map held while the callback runs (and only
/// then), and that a pin reads and writes the very bytes the views do.
/// </summary>
public class PinTests
{
    [Fact]
    public void PinHandsTheCallbackTheRecordsOfTheArray()
    {
        using TempPath temp = FileOfRecords(6);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 2 * TestRecord.SizeInBytes, 3);
        var seen = new List<(long, double, int, string)>();
        records.Pin<TestRecord.Ref>(span =>
        {
            Assert.Equal(3, span.Length);
            Assert.False(span.IsEmpty);
            for (int i = 0; i < span.Length; i++)
            {
                TestRecord.Ref record = span[i];
                seen.Add((record.Id, record.Value, record.Flags, record.Tag));
            }
        });

        var readOnlySeen = new List<(long, double, int, string)>();
        records.PinReadOnly<TestRecord.ReadOnlyRef>(span =>
        {
            Assert.Equal(3, span.Length);
            for (int i = 0; i < span.Length; i++)
            {
                TestRecord.ReadOnlyRef record = span[i];
                readOnlySeen.Add((record.Id, record.Value, record.Flags, record.Tag));
            }
        });

        Assert.Equal([(2L, 3.0, -2, "r2"), (3L, 4.5, -3, "r3"), (4L, 6.0, -4, "r4")], seen);
        Assert.Equal(seen, readOnlySeen);
    }

    [Fact]
    public void FuncOverloadsReturnTheCallbacksValue()
    {
        using TempPath temp = FileOfRecords(5);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 5);
        long sum = records.Pin<TestRecord.Ref, long>(static span =>
        {
            long total = 0;
            for (int i = 0; i < span.Length; i++)
            {
                total += span[i].Id;
            }

            return total;
        });
        Assert.Equal(0 + 1 + 2 + 3 + 4, sum);
        Assert.Equal("r3", records.PinReadOnly<TestRecord.ReadOnlyRef, string>(static span => span[3].Tag));
        TestRecord loaded = records.PinReadOnly<TestRecord.ReadOnlyRef, TestRecord>(static span => span[4].Load());
        Assert.Equal((4L, 6.0, -4, "r4"), (loaded.Id, loaded.Value, loaded.Flags, loaded.Tag));
    }

    [Fact]
    public void StateOverloadsPassTheStateToTheCallback()
    {
        using TempPath temp = FileOfRecords(4);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 4);

        var tags = new List<string>();
        int count = records.Pin<TestRecord.Ref, List<string>, int>(tags, static (span, list) =>
        {
            foreach (TestRecord.Ref record in span)
            {
                list.Add(record.Tag);
            }

            return span.Length;
        });
        Assert.Equal(4, count);
        Assert.Equal(["r0", "r1", "r2", "r3"], tags);

        string before = records.Pin<TestRecord.Ref, (int Index, string Tag), string>((2, "changed"), static (span, change) =>
        {
            TestRecord.Ref record = span[change.Index];
            string old = record.Tag;
            record.Tag = change.Tag;
            return old;
        });
        Assert.Equal("r2", before);
        Assert.Equal("changed", records[2].Tag);

        Assert.Equal(3, records.PinReadOnly<TestRecord.ReadOnlyRef, int, long>(3, static (span, index) => span[index].Id));
        object token = new();
        Assert.Same(token, records.Pin<TestRecord.Ref, object, object>(token, static (_, state) => state));
        Assert.Same(token, records.PinReadOnly<TestRecord.ReadOnlyRef, object, object>(token, static (_, state) => state));
    }

    [Fact]
    public void StaticCallbacksAndTheirForeachAllocateNothing()
    {
        using TempPath temp = FileOfRecords(100);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 100);
        long Run()
        {
            long total = records.Pin<TestRecord.Ref, long, long>(1, static (span, factor) =>
            {
                long sum = 0;
                foreach (TestRecord.Ref record in span)
                {
                    sum += record.Id * factor;
                }

                return sum;
            });
            total += records.PinReadOnly<TestRecord.ReadOnlyRef, long>(static span =>
            {
                long sum = 0;
                foreach (TestRecord.ReadOnlyRef record in span)
                {
                    sum += record.Flags;
                }

                return sum;
            });
            return total;
        }

        Assert.Equal(0, Run()); // the ids sum to 4950, the flags to -4950
        long before = GC.GetAllocatedBytesForCurrentThread();
        long again = Run();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, again);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void WritesThroughThePinAreSeenByViewsAndViewsWritesByThePin()
    {
        using TempPath temp = FileOfRecords(3);
        using (MemoryMap map = MemoryMap.Open(temp.Path))
        {
            var records = new MappedArray<TestRecord.View>(map, 0, 3);
            records.Pin<TestRecord.Ref>(static span =>
            {
                for (int i = 0; i < span.Length; i++)
                {
                    TestRecord.Ref record = span[i];
                    record.Id = 100 + i;
                    record.Value = -i;
                    record.Tag = $"pinned{i}";
                }
            });

            for (int i = 0; i < 3; i++)
            {
                Assert.Equal((100L + i, (double)-i, $"pinned{i}"), (records[i].Id, records[i].Value, records[i].Tag));
            }

            TestRecord.View middle = records[1];
            middle.Flags = 77;
            middle.Tag = "viewed";
            Assert.Equal((77, "viewed"), records.PinReadOnly<TestRecord.ReadOnlyRef, (int, string)>(static span => (span[1].Flags, span[1].Tag)));
            Assert.Equal((77, "viewed"), records.Pin<TestRecord.Ref, (int, string)>(static span => (span[1].Flags, span[1].Tag)));

            // During a pin the views still work, on the same memory.
            records.Pin<TestRecord.Ref>(span =>
            {
                TestRecord.Ref last = span[2];
                last.Flags = 5;
                Assert.Equal(5, records[2].Flags);
                TestRecord.View view = records[2];
                view.Value = 2.5;
                Assert.Equal(2.5, last.Value);
            });
        }

        byte[] bytes = File.ReadAllBytes(temp.Path);
        Assert.Equal(101, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(TestRecord.SizeInBytes + TestRecord.Offsets.Id)));
        Assert.Equal(77, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(TestRecord.SizeInBytes + TestRecord.Offsets.Flags)));
        Assert.Equal("viewed\0"u8.ToArray(), bytes.AsSpan(TestRecord.SizeInBytes + TestRecord.Offsets.Tag, 7).ToArray());
        Assert.Equal("pinned2"u8.ToArray(), bytes.AsSpan((2 * TestRecord.SizeInBytes) + TestRecord.Offsets.Tag, 7).ToArray());
        Assert.Equal(2.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((2 * TestRecord.SizeInBytes) + TestRecord.Offsets.Value)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CloseResizeAndProtectAreRefusedWhileTheCallbackRunsAndWorkAfterIt(bool readOnly)
    {
        using TempPath temp = FileOfRecords(4);
        var map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 4);
        void AssertHeld()
        {
            Assert.Equal(1, map.ExportCount);
            InvalidOperationException error = Assert.Throws<InvalidOperationException>(map.Close);
            Assert.Contains("Pin", error.Message);
            Assert.Throws<InvalidOperationException>(map.Dispose);
            Assert.Throws<InvalidOperationException>(() => map.Resize(2 * TestRecord.SizeInBytes));
            Assert.Throws<InvalidOperationException>(() => map.Resize(8 * TestRecord.SizeInBytes));
            Assert.Throws<InvalidOperationException>(() => map.Protect(MapProtection.Read));
            Assert.False(map.IsClosed);
            Assert.Equal(4 * TestRecord.SizeInBytes, map.Length);
            Assert.Equal(MapProtection.ReadWrite, map.Protection);
        }

        long last = readOnly
            ? records.PinReadOnly<TestRecord.ReadOnlyRef, long>(span =>
            {
                AssertHeld();
                return span[3].Id;
            })
            : records.Pin<TestRecord.Ref, long>(span =>
            {
                AssertHeld();
                return span[3].Id;
            });
        Assert.Equal(3, last);

        Assert.Equal(0, map.ExportCount);
        map.Protect(MapProtection.Read);
        map.Protect(MapProtection.ReadWrite);
        map.Resize(2 * TestRecord.SizeInBytes);
        Assert.Equal(2 * TestRecord.SizeInBytes, map.Length);
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void AnExceptionFromTheCallbackPropagatesUnchangedAndEndsThePin()
    {
        using TempPath temp = FileOfRecords(2);
        var map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 2);
        var thrown = new FormatException("from the callback");
        Action[] pins =
        [
            () => records.Pin<TestRecord.Ref>(_ => throw thrown),
            () => records.Pin<TestRecord.Ref, int>(_ => throw thrown),
            () => records.Pin<TestRecord.Ref, int, int>(0, (_, _) => throw thrown),
            () => records.PinReadOnly<TestRecord.ReadOnlyRef>(_ => throw thrown),
            () => records.PinReadOnly<TestRecord.ReadOnlyRef, int>(_ => throw thrown),
            () => records.PinReadOnly<TestRecord.ReadOnlyRef, int, int>(0, (_, _) => throw thrown),
        ];
        foreach (Action pin in pins)
        {
            Assert.Same(thrown, Assert.Throws<FormatException>(pin));
            Assert.Equal(0, map.ExportCount);
        }

        // The refusal of Close inside the callback propagates as it is, and ends the pin too.
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => records.Pin<TestRecord.Ref>(_ => map.Close()));
        Assert.Contains("close", refused.Message);
        Assert.False(map.IsClosed);
        Assert.Equal(0, map.ExportCount);

        map.Protect(MapProtection.Read);
        map.Protect(MapProtection.ReadWrite);
        map.Resize(TestRecord.SizeInBytes);
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void NestedPinsHoldTheMapUntilBothEnd()
    {
        using TempPath temp = FileOfRecords(4);
        var map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 4);
        MappedArray<TestRecord.View> tail = records.Slice(2, 2);
        records.Pin<TestRecord.Ref>(outer =>
        {
            tail.Pin<TestRecord.Ref>(inner =>
            {
                Assert.Equal(2, map.ExportCount);
                Assert.Throws<InvalidOperationException>(map.Close);
                TestRecord.Ref first = inner[0];
                first.Id = 42;
                records.PinReadOnly<TestRecord.ReadOnlyRef>(third =>
                {
                    Assert.Equal(3, map.ExportCount);
                    Assert.Equal(42, third[2].Id);
                });
                Assert.Equal(2, map.ExportCount);
            });

            // An inner pin that throws ends too.
            Assert.Throws<FormatException>(() => tail.Pin<TestRecord.Ref>(static _ => throw new FormatException()));

            // The inner pins ended; the outer one still holds the map.
            Assert.Equal(1, map.ExportCount);
            Assert.Throws<InvalidOperationException>(map.Close);
            Assert.Throws<InvalidOperationException>(() => map.Resize(TestRecord.SizeInBytes));
            Assert.Throws<InvalidOperationException>(() => map.Protect(MapProtection.Read));
            Assert.Equal(42, outer[2].Id); // the inner pin wrote the outer one's memory
        });

        Assert.Equal(0, map.ExportCount);
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void APinOfNoRecordsHandsAnEmptySpanAndStillHoldsTheMap()
    {
        using TempPath temp = FileOfRecords(2);
        var map = MemoryMap.Open(temp.Path);
        foreach (long offset in new long[] { 0, TestRecord.SizeInBytes, 2 * TestRecord.SizeInBytes })
        {
            var empty = new MappedArray<TestRecord.View>(map, offset, 0);
            int visited = empty.Pin<TestRecord.Ref, int>(span =>
            {
                Assert.Equal(0, span.Length);
                Assert.True(span.IsEmpty);
                Throws<ArgumentOutOfRangeException, MappedSpan<TestRecord.Ref>>(span, static s => _ = s[0]);
                Assert.Throws<InvalidOperationException>(map.Close);
                int count = 0;
                foreach (TestRecord.Ref record in span)
                {
                    count++;
                }

                return count;
            });
            Assert.Equal(0, visited);

            empty.PinReadOnly<TestRecord.ReadOnlyRef>(span =>
            {
                Assert.True(span.IsEmpty);
                Throws<ArgumentOutOfRangeException, ReadOnlyMappedSpan<TestRecord.ReadOnlyRef>>(span, static s => _ = s[0]);
                Assert.Throws<InvalidOperationException>(map.Close);
            });
        }

        Assert.Equal(0, map.ExportCount);
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void ANullCallbackIsRefusedFirst()
    {
        using TempPath temp = FileOfRecords(1);
        using MemoryMap map = MemoryMap.Open(temp.Path);

        // The first of all checks: a default array, or a Ref of another layout, still reports the null callback.
        foreach (MappedArray<TestRecord.View> records in new[] { new MappedArray<TestRecord.View>(map, 0, 1), default })
        {
            Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => records.Pin<TestRecord.Ref>(null!)).ParamName);
            Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => records.Pin<TestRecord.Ref, int>(null!)).ParamName);
            Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => records.Pin<TestRecord.Ref, int, int>(0, null!)).ParamName);
            Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef>(null!)).ParamName);
            Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef, int>(null!)).ParamName);
            Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef, int, int>(0, null!)).ParamName);
#pragma warning disable OVL005 // the null body is checked before the Ref, which the analyzer reports at compile time
            Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => records.Pin<TestHeader.Ref>(null!)).ParamName);
#pragma warning restore OVL005
        }

        Assert.Equal(0, map.ExportCount);
    }

    [Fact]
    public void ARefOfAnotherLayoutIsRefused()
    {
        using TempPath temp = FileOfRecords(2);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 2);

        // Another size and fingerprint.
#pragma warning disable OVL005, OVL006 // the run-time check under test; the analyzer reports these calls at compile time
        ArgumentException error = Assert.Throws<ArgumentException>(() => records.Pin<TestHeader.Ref>(static _ => Assert.Fail("The callback ran.")));
        Assert.Equal("TRef", error.ParamName);
        Assert.Contains(typeof(TestHeader.Ref).FullName!, error.Message);
        Assert.Contains(typeof(TestRecord.View).FullName!, error.Message);
        Assert.Throws<ArgumentException>(() => records.Pin<TestHeader.Ref, int>(static _ => 0));
        Assert.Throws<ArgumentException>(() => records.Pin<TestHeader.Ref, int, int>(0, static (_, _) => 0));
        Assert.Throws<ArgumentException>(() => records.PinReadOnly<TestHeader.ReadOnlyRef>(static _ => Assert.Fail("The callback ran.")));
        Assert.Throws<ArgumentException>(() => records.PinReadOnly<TestHeader.ReadOnlyRef, int>(static _ => 0));
        Assert.Throws<ArgumentException>(() => records.PinReadOnly<TestHeader.ReadOnlyRef, int, int>(0, static (_, _) => 0));

        // The same size, another fingerprint.
        Assert.Equal(TestRecord.SizeInBytes, AsciiTestRecord.SizeInBytes);
        error = Assert.Throws<ArgumentException>(() => records.Pin<AsciiTestRecord.Ref>(static _ => Assert.Fail("The callback ran.")));
        Assert.Contains($"0x{AsciiTestRecord.LayoutFingerprint:X16}", error.Message);
        Assert.Contains($"0x{TestRecord.LayoutFingerprint:X16}", error.Message);
        Assert.Throws<ArgumentException>(() => records.PinReadOnly<AsciiTestRecord.ReadOnlyRef>(static _ => Assert.Fail("The callback ran.")));

        // The same fingerprint, another size (a Ref written by hand).
        error = Assert.Throws<ArgumentException>(() => records.Pin<WrongSizeRef>(static _ => Assert.Fail("The callback ran.")));
        Assert.Contains("16 bytes", error.Message);
        Assert.Throws<ArgumentException>(() => records.PinReadOnly<WrongSizeRef>(static _ => Assert.Fail("The callback ran.")));

        // The Ref is checked before the array: a default array or one of read-only views reports it too.
        Assert.Throws<ArgumentException>(() => default(MappedArray<TestRecord.View>).Pin<TestHeader.Ref>(static _ => { }));
        Assert.Throws<ArgumentException>(() => new MappedArray<TestRecord.ReadOnlyView>(map, 0, 2).Pin<TestHeader.Ref>(static _ => { }));
#pragma warning restore OVL005, OVL006

        // A refused pin holds nothing.
        Assert.Equal(0, map.ExportCount);

        // The fingerprint ignores type names: the same fields under another name are the same layout.
        Assert.Equal(TestRecord.LayoutFingerprint, RenamedTestRecord.LayoutFingerprint);
        Assert.Equal("r1", records.Pin<RenamedTestRecord.Ref, string>(static span => span[1].Tag));
    }

    [Fact]
    public void ADefaultArrayIsRefused()
    {
        var records = default(MappedArray<TestRecord.View>);
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => records.Pin<TestRecord.Ref>(static _ => Assert.Fail("The callback ran.")));
        Assert.Contains("default", error.Message);
        Assert.Throws<InvalidOperationException>(() => records.Pin<TestRecord.Ref, int>(static _ => 0));
        Assert.Throws<InvalidOperationException>(() => records.Pin<TestRecord.Ref, int, int>(0, static (_, _) => 0));
        Assert.Throws<InvalidOperationException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef>(static _ => Assert.Fail("The callback ran.")));
        Assert.Throws<InvalidOperationException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef, int>(static _ => 0));
        Assert.Throws<InvalidOperationException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef, int, int>(0, static (_, _) => 0));

        // Checked before the kind of view: a default array of read-only views is refused as default.
#pragma warning disable OVL006 // the run-time check under test; the analyzer reports these calls at compile time
        error = Assert.Throws<InvalidOperationException>(() => default(MappedArray<TestRecord.ReadOnlyView>).Pin<TestRecord.Ref>(static _ => { }));
#pragma warning restore OVL006
        Assert.Contains("default", error.Message);
    }

    [Fact]
    public void PinOnAnArrayOfReadOnlyViewsIsRefused()
    {
        using TempPath temp = FileOfRecords(2);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.ReadOnlyView>(map, 0, 2);
#pragma warning disable OVL006 // the run-time check under test; the analyzer reports these calls at compile time
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref>(static _ => Assert.Fail("The callback ran.")));
        Assert.Contains("PinReadOnly", error.Message);
        Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref, int>(static _ => 0));
        Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref, int, int>(0, static (_, _) => 0));
        Assert.Equal(0, map.ExportCount);

        // PinReadOnly takes it, on this writable map as on any.
        Assert.Equal("r1", records.PinReadOnly<TestRecord.ReadOnlyRef, string>(static span => span[1].Tag));
        Assert.Equal(0, map.ExportCount);

        // The kind of view is checked before the map: closed, the map is not even looked at.
        map.Close();
        Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref>(static _ => { }));
#pragma warning restore OVL006
    }

    [Fact]
    public void MoreThanIntMaxValueRecordsAreRefused()
    {
        // A sparse file of 2 GiB + 1 one-byte records; only the page written at the end is ever touched.
        using var temp = new TempPath();
        using (var stream = new FileStream(temp.Path, FileMode.CreateNew))
        {
            stream.SetLength(int.MaxValue + 1L);
        }

        var map = MemoryMap.Open(temp.Path);
        var all = new MappedArray<PinByte.View>(map, 0, int.MaxValue + 1L);
        var allReadOnly = new MappedArray<PinByte.ReadOnlyView>(map, 0, int.MaxValue + 1L);
        MappedArray<PinByte.View> most = all.Slice(1, int.MaxValue);
        try
        {
            InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => all.Pin<PinByte.Ref>(static _ => Assert.Fail("The callback ran.")));
            Assert.Contains("Slice", error.Message);
            Assert.Contains((int.MaxValue + 1L).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
            Assert.Throws<InvalidOperationException>(() => all.Pin<PinByte.Ref, int>(static _ => 0));
            Assert.Throws<InvalidOperationException>(() => all.Pin<PinByte.Ref, int, int>(0, static (_, _) => 0));
            Assert.Throws<InvalidOperationException>(() => all.PinReadOnly<PinByte.ReadOnlyRef>(static _ => Assert.Fail("The callback ran.")));
            Assert.Throws<InvalidOperationException>(() => allReadOnly.PinReadOnly<PinByte.ReadOnlyRef, int>(static _ => 0));

            // The kind of view is checked before the count.
#pragma warning disable OVL006 // the run-time check under test; the analyzer reports these calls at compile time
            Assert.Throws<NotSupportedException>(() => allReadOnly.Pin<PinByte.Ref>(static _ => { }));
#pragma warning restore OVL006
            Assert.Equal(0, map.ExportCount);

            // int.MaxValue records are a span's worth: they pin.
            int length = most.Pin<PinByte.Ref, int>(static span =>
            {
                PinByte.Ref last = span[span.Length - 1];
                last.Value = 0xAB;
                return span.Length;
            });
            Assert.Equal(int.MaxValue, length);
            Assert.Equal(0xAB, all[int.MaxValue].Value);
            Assert.Equal(0xAB, map[int.MaxValue]);

            // The count is checked before the map: closed, the count is still what is reported.
            map.Close();
            Assert.Throws<InvalidOperationException>(() => all.Pin<PinByte.Ref>(static _ => { }));
            Assert.Throws<ObjectDisposedException>(() => most.Pin<PinByte.Ref>(static _ => { }));
        }
        finally
        {
            map.Close();
        }
    }

    [Fact]
    public void AClosedMapIsRefused()
    {
        using TempPath temp = FileOfRecords(2);
        var map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 2);
        var readOnlyRecords = new MappedArray<TestRecord.ReadOnlyView>(map, 0, 2);
        map.Close();
        Assert.Throws<ObjectDisposedException>(() => records.Pin<TestRecord.Ref>(static _ => Assert.Fail("The callback ran.")));
        Assert.Throws<ObjectDisposedException>(() => records.Pin<TestRecord.Ref, int>(static _ => 0));
        Assert.Throws<ObjectDisposedException>(() => records.Pin<TestRecord.Ref, int, int>(0, static (_, _) => 0));
        Assert.Throws<ObjectDisposedException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef>(static _ => Assert.Fail("The callback ran.")));
        Assert.Throws<ObjectDisposedException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef, int>(static _ => 0));
        Assert.Throws<ObjectDisposedException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef, int, int>(0, static (_, _) => 0));
        Assert.Throws<ObjectDisposedException>(() => readOnlyRecords.PinReadOnly<TestRecord.ReadOnlyRef>(static _ => Assert.Fail("The callback ran.")));
        Assert.Equal(0, map.ExportCount);
    }

    [Fact]
    public void PinOnAMapThatIsNotWritableIsRefused()
    {
        using TempPath temp = FileOfRecords(2);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 2);
        map.Protect(MapProtection.Read);
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref>(static _ => Assert.Fail("The callback ran.")));
        Assert.Contains("read-only", error.Message);
        Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref, int>(static _ => 0));
        Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref, int, int>(0, static (_, _) => 0));
        Assert.Equal(0, map.ExportCount);

        // Reading is fine, and writing is again once the map is writable.
        Assert.Equal("r1", records.PinReadOnly<TestRecord.ReadOnlyRef, string>(static span => span[1].Tag));
        map.Protect(MapProtection.ReadWrite);
        records.Pin<TestRecord.Ref>(static span =>
        {
            TestRecord.Ref first = span[0];
            first.Id = 9;
        });
        Assert.Equal(9, records[0].Id);

        // A map that cannot even be read refuses both.
        map.Protect(MapProtection.None);
        error = Assert.Throws<NotSupportedException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef>(static _ => Assert.Fail("The callback ran.")));
        Assert.Contains("not readable", error.Message);
        Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref>(static _ => Assert.Fail("The callback ran.")));
        Assert.Equal(0, map.ExportCount);
        map.Protect(MapProtection.ReadWrite);
    }

    [Fact]
    public void PinOnACopyOnWriteMapWritesThePrivateCopy()
    {
        using TempPath temp = FileOfRecords(2);
        using (MemoryMap map = MemoryMap.Open(temp.Path, MapAccess.Copy))
        {
            var records = new MappedArray<TestRecord.View>(map, 0, 2);
            records.Pin<TestRecord.Ref>(static span =>
            {
                TestRecord.Ref second = span[1];
                second.Tag = "private";
            });
            Assert.Equal("private", records[1].Tag);
        }

        using MemoryMap again = MemoryMap.Open(temp.Path, MapAccess.Read);
        Assert.Equal("r1", new MappedArray<TestRecord.ReadOnlyView>(again, 0, 2)[1].Tag);
    }

    [Fact]
    public void RecordsNoLongerInsideAShrunkMapAreRefused()
    {
        using TempPath temp = FileOfRecords(4);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 4);
        MappedArray<TestRecord.View> head = records.Slice(0, 2);
        MappedArray<TestRecord.View> tail = records.Slice(3, 1);
        map.Resize(2 * TestRecord.SizeInBytes);

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => records.Pin<TestRecord.Ref>(static _ => Assert.Fail("The callback ran.")));
        Assert.Contains("do not lie inside the map", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => records.Pin<TestRecord.Ref, int>(static _ => 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => records.Pin<TestRecord.Ref, int, int>(0, static (_, _) => 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef>(static _ => Assert.Fail("The callback ran.")));
        Assert.Throws<ArgumentOutOfRangeException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef, int>(static _ => 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef, int, int>(0, static (_, _) => 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => tail.Pin<TestRecord.Ref>(static _ => Assert.Fail("The callback ran.")));
        Assert.Equal(0, map.ExportCount);

        // What still lies inside pins.
        Assert.Equal(1, head.Pin<TestRecord.Ref, long>(static span => span[1].Id));

        // The access is checked before the range: shrunk and read-only, Pin reports the access.
        map.Protect(MapProtection.Read);
        Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref>(static _ => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef>(static _ => { }));
        map.Protect(MapProtection.ReadWrite);

        // Grown back, the whole array pins again; the records past the old end are zeros.
        map.Resize(4 * TestRecord.SizeInBytes);
        Assert.Equal((1L, 0L), records.Pin<TestRecord.Ref, (long, long)>(static span => (span[1].Id, span[3].Id)));
        Assert.Equal(0, map.ExportCount);
    }

    [Fact]
    public void PinReadOnlyWorksOnAMapOpenedForReading()
    {
        using TempPath temp = FileOfRecords(3);
        var map = MemoryMap.Open(temp.Path, MapAccess.Read);
        var records = new MappedArray<TestRecord.ReadOnlyView>(map, 0, 3);
        List<string> tags = records.PinReadOnly<TestRecord.ReadOnlyRef, List<string>>(static span =>
        {
            var list = new List<string>();
            foreach (TestRecord.ReadOnlyRef record in span)
            {
                list.Add(record.Tag);
            }

            return list;
        });
        Assert.Equal(["r0", "r1", "r2"], tags);
        Assert.Equal(3.0 - 2, records.PinReadOnly<TestRecord.ReadOnlyRef, int, double>(2, static (span, index) => span[index].Value + span[index].Flags));
        TestRecord loaded = records.PinReadOnly<TestRecord.ReadOnlyRef, TestRecord>(static span => span[1].Load());
        Assert.Equal((1L, 1.5, -1, "r1"), (loaded.Id, loaded.Value, loaded.Flags, loaded.Tag));

        records.PinReadOnly<TestRecord.ReadOnlyRef>(span =>
        {
            Assert.Equal(1, map.ExportCount);
            Assert.Throws<InvalidOperationException>(map.Close);
            Assert.Equal(3, span.Length);
        });

        // Only an array of read-only views can be made here, and Pin refuses it.
#pragma warning disable OVL006 // the run-time check under test; the analyzer reports these calls at compile time
        Assert.Throws<NotSupportedException>(() => records.Pin<TestRecord.Ref>(static _ => Assert.Fail("The callback ran.")));
#pragma warning restore OVL006
        Assert.Equal(0, map.ExportCount);
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void SpanIndexerIsBoundsChecked()
    {
        using TempPath temp = FileOfRecords(3);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 3);
        int[] outside = [-1, 3, int.MaxValue, int.MinValue];
        records.Pin<TestRecord.Ref>(span =>
        {
            foreach (int index in outside)
            {
                ArgumentOutOfRangeException error = Throws<ArgumentOutOfRangeException, MappedSpan<TestRecord.Ref>>(span, s => _ = s[index]);
                Assert.Equal("index", error.ParamName);
                Assert.Equal(index, error.ActualValue);
            }

            Assert.Equal((0L, 2L), (span[0].Id, span[2].Id));
        });
        records.PinReadOnly<TestRecord.ReadOnlyRef>(span =>
        {
            foreach (int index in outside)
            {
                Throws<ArgumentOutOfRangeException, ReadOnlyMappedSpan<TestRecord.ReadOnlyRef>>(span, s => _ = s[index]);
            }

            Assert.Equal((0L, 2L), (span[0].Id, span[2].Id));
        });
    }

    [Fact]
    public void SliceIsBoundsCheckedAndStartsAtItsFirstRecord()
    {
        using TempPath temp = FileOfRecords(5);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 5);
        (int Start, int Length)[] outside = [(6, 0), (-1, 1), (0, 6), (1, -1), (4, 2), (2, int.MaxValue), (int.MinValue, 0), (int.MaxValue, 1)];
        records.Pin<TestRecord.Ref>(span =>
        {
            MappedSpan<TestRecord.Ref> middle = span.Slice(1, 3);
            Assert.Equal(3, middle.Length);
            Assert.Equal((1L, 3L), (middle[0].Id, middle[2].Id));
            Assert.Equal(2, middle.Slice(1, 1)[0].Id);
            Assert.Equal(5, span.Slice(0, 5).Length);
            Assert.True(span.Slice(5, 0).IsEmpty);
            Assert.True(span.Slice(0, 0).IsEmpty);
            Throws<ArgumentOutOfRangeException, MappedSpan<TestRecord.Ref>>(middle, static s => _ = s[3]);
            Throws<ArgumentOutOfRangeException, MappedSpan<TestRecord.Ref>>(middle, static s => _ = s.Slice(1, 3));
            foreach ((int start, int length) in outside)
            {
                Throws<ArgumentOutOfRangeException, MappedSpan<TestRecord.Ref>>(span, s => _ = s.Slice(start, length));
            }

            // A write through a slice lands in the array's record of the same position.
            TestRecord.Ref record = middle[0];
            record.Flags = 1000;
        });
        Assert.Equal(1000, records[1].Flags);

        records.PinReadOnly<TestRecord.ReadOnlyRef>(span =>
        {
            ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> middle = span.Slice(1, 3);
            Assert.Equal((1L, 1000, 3L), (middle[0].Id, middle[0].Flags, middle[2].Id));
            Assert.True(span.Slice(5, 0).IsEmpty);
            foreach ((int start, int length) in outside)
            {
                Throws<ArgumentOutOfRangeException, ReadOnlyMappedSpan<TestRecord.ReadOnlyRef>>(span, s => _ = s.Slice(start, length));
            }
        });
    }

    [Fact]
    public void TheEnumeratorVisitsEveryRecordInOrder()
    {
        using TempPath temp = FileOfRecords(5);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 5);
        (List<long> All, List<long> Middle) ids = records.Pin<TestRecord.Ref, (List<long>, List<long>)>(static span =>
        {
            var all = new List<long>();
            foreach (TestRecord.Ref record in span)
            {
                all.Add(record.Id);
            }

            var middle = new List<long>();
            foreach (TestRecord.Ref record in span.Slice(1, 3))
            {
                middle.Add(record.Id);
            }

            return (all, middle);
        });
        Assert.Equal([0L, 1, 2, 3, 4], ids.All);
        Assert.Equal([1L, 2, 3], ids.Middle);

        List<string> tags = records.PinReadOnly<TestRecord.ReadOnlyRef, List<string>>(static span =>
        {
            var list = new List<string>();
            foreach (TestRecord.ReadOnlyRef record in span)
            {
                list.Add(record.Tag);
            }

            return list;
        });
        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], tags);

        // Current is only valid between a successful MoveNext and the end.
        records.Pin<TestRecord.Ref>(static span =>
        {
            MappedSpan<TestRecord.Ref>.Enumerator e = span.GetEnumerator();
            Throws<ArgumentOutOfRangeException, MappedSpan<TestRecord.Ref>.Enumerator>(e, static x => _ = x.Current);
            int visited = 0;
            while (e.MoveNext())
            {
                Assert.Equal(visited, e.Current.Id);
                visited++;
            }

            Assert.Equal(5, visited);
            Assert.False(e.MoveNext());
            Throws<ArgumentOutOfRangeException, MappedSpan<TestRecord.Ref>.Enumerator>(e, static x => _ = x.Current);
        });
        records.PinReadOnly<TestRecord.ReadOnlyRef>(static span =>
        {
            ReadOnlyMappedSpan<TestRecord.ReadOnlyRef>.Enumerator e = span.GetEnumerator();
            Throws<ArgumentOutOfRangeException, ReadOnlyMappedSpan<TestRecord.ReadOnlyRef>.Enumerator>(e, static x => _ = x.Current);
            Assert.True(e.MoveNext());
            Assert.Equal("r0", e.Current.Tag);
        });
    }

    private static TempPath FileOfRecords(int count)
    {
        TempPath temp = new TempPath().WithBytes(count * TestRecord.SizeInBytes);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, count);
        for (int i = 0; i < count; i++)
        {
            TestRecord.View record = records[i];
            record.Id = i;
            record.Value = i * 1.5;
            record.Flags = -i;
            record.Tag = $"r{i}";
        }

        return temp;
    }

    // Assert.Throws for code that needs a ref struct: a lambda cannot capture one, so it is passed in.
    private static TException Throws<TException, TArg>(TArg arg, Action<TArg> action)
        where TException : Exception
        where TArg : allows ref struct
    {
        try
        {
            action(arg);
        }
        catch (Exception error)
        {
            return Assert.IsType<TException>(error);
        }

        Assert.Fail($"Expected {typeof(TException).Name}, but nothing was thrown.");
        return null!;
    }

    /// <summary>A hand-written Ref that claims <see cref="TestRecord"/>'s fingerprint at another size: only the size tells it apart.</summary>
    private readonly ref struct WrongSizeRef : IMappedRef<WrongSizeRef>, IReadOnlyMappedRef<WrongSizeRef>
    {
        public static int SizeInBytes => 16;

        public static ulong LayoutFingerprint => TestRecord.LayoutFingerprint;

        public static WrongSizeRef Create(Span<byte> bytes) => throw new InvalidOperationException("Never made: the pin refuses the type.");

        public static WrongSizeRef Create(ReadOnlySpan<byte> bytes) => throw new InvalidOperationException("Never made: the pin refuses the type.");
    }
}

/// <summary>One byte: the smallest record, for an array of more than <see cref="int.MaxValue"/> records (<see cref="PinTests"/>).</summary>
[MappedLayout]
public partial struct PinByte
{
    public byte Value;
}

/// <summary><see cref="TestRecord"/>'s fields under another name: the same layout, since the fingerprint ignores type names (<see cref="PinTests"/>).</summary>
[MappedLayout]
public partial struct RenamedTestRecord
{
    public long Id;
    public double Value;
    public int Flags;
    [FixedString(12)]
    public string Tag;
}

/// <summary><see cref="TestRecord"/> with an ASCII tag: the same size, another layout (<see cref="PinTests"/>).</summary>
[MappedLayout]
public partial struct AsciiTestRecord
{
    public long Id;
    public double Value;
    public int Flags;
    [FixedString(12, Encoding = FixedStringEncoding.Ascii)]
    public string Tag;
}
