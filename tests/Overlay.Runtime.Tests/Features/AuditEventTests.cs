using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.IO;
using System.Linq;
using Overlay.Diagnostics;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary>
/// The audit event (Python's <c>mmap.__new__</c> audit hook). Listeners are process-global and
/// tests run in parallel, so each test picks out its own event by a unique path or length.
/// </summary>
public class AuditEventTests
{
    [Fact]
    public void TheSourceHasTheFixedName()
    {
        Assert.Equal("Overlay-MemoryMap", OverlayEventSource.SourceName);
        Assert.Equal("Overlay-MemoryMap", OverlayEventSource.Log.Name);
        Assert.Equal(1, OverlayEventSource.MapCreatedEventId);
    }

    [Theory]
    [InlineData(MapAccess.Write, "Write")]
    [InlineData(MapAccess.Read, "Read")]
    [InlineData(MapAccess.Copy, "Copy")]
    [InlineData(MapAccess.Default, "Default")]
    public void OpenReportsTheFileAndTheAccess(MapAccess access, string accessName)
    {
        using var listener = new MapCreatedListener();
        using var file = FeatureTempFile.WithPattern(3 * 4096);
        using (var map = MemoryMap.Open(file.Path, access, length: 4096, offset: 4096))
        {
            Assert.Equal(4096, map.Length);
        }

        MapCreated created = Assert.Single(listener.For(file.ResolvedPath));
        Assert.Equal(file.ResolvedPath, created.File);
        Assert.True(created.FileDescriptor > 2, $"fd {created.FileDescriptor}");
        Assert.Equal(4096, created.Length);
        Assert.Equal(accessName, created.Access);
        Assert.Equal(4096, created.Offset);
    }

    [Fact]
    public void TheHandleConstructorReportsTheCallersDescriptor()
    {
        using var listener = new MapCreatedListener();
        using var file = FeatureTempFile.WithPattern(5000);
        using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite);
        using (var map = new MemoryMap(handle, 0))
        {
            Assert.Equal(5000, map.Length);
        }

        MapCreated created = Assert.Single(listener.For(file.ResolvedPath));
        Assert.Equal((int)handle.DangerousGetHandle(), created.FileDescriptor);
        Assert.Equal(5000, created.Length);
        Assert.Equal("Default", created.Access);
        Assert.Equal(0, created.Offset);
    }

    [Fact]
    public void TheDescriptorConstructorReportsTheDerivedAccess()
    {
        using var listener = new MapCreatedListener();
        using var file = FeatureTempFile.WithPattern(5000);
        using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite);
        int fd = (int)handle.DangerousGetHandle();
        using (var map = new MemoryMap(fd, 100, MapFlags.Shared, MapProtection.Read))
        {
            Assert.Equal(MapAccess.Read, map.Access);
        }

        MapCreated created = Assert.Single(listener.For(file.ResolvedPath));
        Assert.Equal(fd, created.FileDescriptor);
        Assert.Equal(100, created.Length);
        Assert.Equal("Read", created.Access);
    }

    [Fact]
    public void AnonymousMapsReportNoFileAndDescriptorMinusOne()
    {
        using var listener = new MapCreatedListener();

        // A length no other test uses, to find this test's event among everyone's.
        long length = (7 * 4096) + 1 + Random.Shared.Next(0, 4000);
        using (MemoryMap.Anonymous(length, MapFlags.Private, MapProtection.ReadWrite))
        {
        }

        MapCreated created = Assert.Single(listener.All, e => e.Length == length);
        Assert.Equal(string.Empty, created.File);
        Assert.Equal(-1, created.FileDescriptor);
        Assert.Equal("Default", created.Access);
        Assert.Equal(0, created.Offset);

        long readOnlyLength = length + 5000;
        using (MemoryMap.Anonymous(readOnlyLength, access: MapAccess.Read))
        {
        }

        created = Assert.Single(listener.All, e => e.Length == readOnlyLength);
        Assert.Equal("Read", created.Access);
        Assert.Equal(-1, created.FileDescriptor);
    }

    [Fact]
    public void AFailedConstructorReportsNothing()
    {
        using var listener = new MapCreatedListener();
        using var file = FeatureTempFile.WithPattern(100);
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.Open(file.Path, length: 200));
        Assert.Empty(listener.For(file.ResolvedPath));
    }

    [Fact]
    public void TheEventCarriesItsPayloadNames()
    {
        using var listener = new MapCreatedListener();
        using var file = FeatureTempFile.WithPattern(10);
        using (MemoryMap.Open(file.Path))
        {
        }

        EventWrittenEventArgs raw = Assert.Single(listener.Raw, e => Equals(e.Payload?[0], file.ResolvedPath));
        Assert.Equal(OverlayEventSource.MapCreatedEventId, raw.EventId);
        Assert.Equal("MapCreated", raw.EventName);
        Assert.Equal(EventLevel.Informational, raw.Level);
        Assert.Equal(new[] { "file", "fileDescriptor", "length", "access", "offset" }, raw.PayloadNames);
    }

    private sealed record MapCreated(string File, int FileDescriptor, long Length, string Access, long Offset);

    private sealed class MapCreatedListener : EventListener
    {
        // Initialised before the base constructor, which may already call OnEventSourceCreated.
        private readonly ConcurrentQueue<EventWrittenEventArgs> _events = new();

        public IEnumerable<EventWrittenEventArgs> Raw => _events.Where(e => e.EventId == OverlayEventSource.MapCreatedEventId);

        public IEnumerable<MapCreated> All => Raw.Select(e => new MapCreated(
            (string)e.Payload![0]!, (int)e.Payload[1]!, (long)e.Payload[2]!, (string)e.Payload[3]!, (long)e.Payload[4]!));

        public IEnumerable<MapCreated> For(string path) => All.Where(e => e.File == path).ToList();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == OverlayEventSource.SourceName)
            {
                EnableEvents(eventSource, EventLevel.Informational);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData) => _events?.Enqueue(eventData);
    }
}
