using System;

namespace Overlay.Platform;

/// <summary>
/// The copy step of a resize that cannot keep its pages where they are (anonymous or private
/// memory mapped afresh): shared by every platform, since only the calls differ.
/// </summary>
internal static unsafe class MappingCopy
{
    /// <summary>
    /// Copies the first <c>min(oldLength, newLength)</c> bytes of the old mapping into
    /// <paramref name="fresh"/> (mapped readable and writable), gives it <paramref name="protection"/>
    /// and unmaps the old one. The old pages are made readable for the copy if <c>Protect</c> took
    /// that away. On failure the fresh mapping is unmapped and the old one is as it was.
    /// </summary>
    public static byte* CopyToFresh(IMapPlatform platform, byte* address, long oldLength, byte* fresh, long newLength, MapProtection protection)
    {
        bool oldMadeReadable = false;
        try
        {
            if ((protection & MapProtection.Read) == 0)
            {
                platform.Protect(address, oldLength, protection | MapProtection.Read);
                oldMadeReadable = true;
            }

            Buffer.MemoryCopy(address, fresh, newLength, Math.Min(oldLength, newLength));
            if (protection != MapProtection.ReadWrite)
            {
                platform.Protect(fresh, newLength, protection);
            }
        }
        catch
        {
            platform.Unmap(fresh, newLength);
            if (oldMadeReadable)
            {
                try
                {
                    platform.Protect(address, oldLength, protection);
                }
                catch (Exception)
                {
                    // The pages stay readable: no check relies on their being otherwise, and the
                    // first error is the one to report.
                }
            }

            throw;
        }

        platform.Unmap(address, oldLength);
        return fresh;
    }
}
