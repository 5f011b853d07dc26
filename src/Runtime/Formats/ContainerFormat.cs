namespace Overlay.Formats;

/// <summary>
/// The constants of the container format, version 1 (<c>docs/formats.md</c> has the whole byte
/// format). All numbers in the file are little-endian.
/// </summary>
public static class ContainerFormat
{
    /// <summary>The magic number at the start of each meta slot: the bytes <c>OVLCNTNR</c> read as a little-endian u64.</summary>
    public const ulong Magic = 0x524E544E434C564FUL;

    /// <summary>The format version this library writes and reads.</summary>
    public const uint Version = 1;

    /// <summary>The size of a meta slot's prefix.</summary>
    public const int PrefixSize = 64;

    /// <summary>The size of a section table entry.</summary>
    public const int EntrySize = 128;

    /// <summary>The smallest slot size (a page on every supported OS).</summary>
    public const int MinimumSlotSize = 4096;

    /// <summary>The largest slot size: <see cref="MinimumSlotSize"/> shifted left by 8 (1 MiB).</summary>
    public const int MaximumSlotSize = MinimumSlotSize << 8;

    /// <summary>The longest section name, in UTF-8 bytes.</summary>
    public const int MaximumNameBytes = 32;

    /// <summary>Prefix flag: the file was written by <see cref="ContainerBuilder"/> and never changes.</summary>
    public const uint SealedFlag = 1;

    /// <summary>The state word of an allocated heap block ("ALOC").</summary>
    public const uint HeapBlockAllocated = 0x434F4C41;

    /// <summary>The state word of a free heap block ("FREE").</summary>
    public const uint HeapBlockFree = 0x45455246;

    /// <summary>Heap blocks and their payloads start at multiples of this.</summary>
    public const int HeapGranule = 8;

    /// <summary>The size of a heap block's header (u32 block size, u32 state).</summary>
    public const int HeapBlockHeaderSize = 8;

    /// <summary>The smallest heap block: a header and room for the free list's next pointer.</summary>
    public const int HeapMinimumBlockSize = 16;

    /// <summary>The bytes at the start of every heap, kept zero so that heap offset 0 is the null reference.</summary>
    public const int HeapReservedBytes = 8;

    /// <summary>Section extents start at multiples of this (a page), so that flushing or advising one section does not touch another's pages.</summary>
    public const int ExtentAlignment = 4096;

    /// <summary>The smallest capacity a section grows to.</summary>
    public const long MinimumGrowthBytes = 4096;

    internal const int MagicOffset = 0;
    internal const int VersionOffset = 8;
    internal const int PrefixSizeOffset = 12;
    internal const int TagOffset = 16;
    internal const int FlagsOffset = 24;
    internal const int SlotSizeOffset = 28;
    internal const int GenerationOffset = 32;
    internal const int TableOffsetOffset = 40;
    internal const int EntrySizeOffset = 44;
    internal const int EntryCountOffset = 48;
    internal const int PrefixReservedOffset = 52;
    internal const int ChecksumOffset = 60;

    /// <summary>The number of entries a slot of <paramref name="slotSize"/> bytes holds.</summary>
    internal static int EntriesPerSlot(int slotSize) => (slotSize - PrefixSize) / EntrySize;

    /// <summary>The smallest valid slot size with room for <paramref name="sections"/> entries, or 0 if none has.</summary>
    internal static int SlotSizeFor(int sections)
    {
        for (int size = MinimumSlotSize; size <= MaximumSlotSize; size <<= 1)
        {
            if (EntriesPerSlot(size) >= sections)
            {
                return size;
            }
        }

        return 0;
    }

    internal static bool IsValidSlotSize(uint size)
    {
        for (uint candidate = MinimumSlotSize; candidate <= MaximumSlotSize; candidate <<= 1)
        {
            if (candidate == size)
            {
                return true;
            }
        }

        return false;
    }

    internal static long AlignUp(long value, long alignment) => (value + (alignment - 1)) & ~(alignment - 1);
}
