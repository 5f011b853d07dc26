namespace Overlay.Layouts;

/// <summary>What <see cref="RecordFileReading.Open"/> found and holds: the map and the lock now belong to the caller.</summary>
internal readonly record struct OpenedRecordFile(MemoryMap Map, RecordFileLock Lock, RecordFilePrefix Prefix, RecordFileShape Shape, long Count, DurableSlot Durable);
