using System.IO;
using Overlay.Platform;

namespace Overlay.Formats;

/// <summary>
/// Makes a file's name durable. <c>rename</c> is atomic, but without an <c>fsync</c> of the
/// directory a power loss can bring the old name back (and a created file can vanish): ext4,
/// XFS and btrfs make the directory entry durable only when the directory itself is synced.
/// Every writer of a container that renames or creates a file calls this after it
/// (<c>docs/formats.md</c> §5, <c>docs/durability.md</c>). The call goes through the platform
/// layer (<see cref="IMapPlatform.SyncDirectory"/>): <c>open(O_RDONLY)</c> + <c>fsync</c> on Linux,
/// <c>F_FULLFSYNC</c> on macOS, nothing on Windows.
/// </summary>
internal static class DirectorySync
{
    /// <summary>
    /// Renames <paramref name="temp"/> over <paramref name="path"/> (atomic: same directory), then
    /// syncs the directory. If the sync fails the new file is in place, but its name may not
    /// survive a power loss: the exception says so.
    /// </summary>
    public static void Replace(string temp, string path)
    {
        File.Move(temp, path, overwrite: true);
        SyncDirectoryOf(path);
    }

    /// <summary>Syncs the directory that holds <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The OS refused: the file exists, but its name may not survive a power loss.</exception>
    public static void SyncDirectoryOf(string path)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? full;
        try
        {
            MapPlatform.ForNewMaps.SyncDirectory(directory);
        }
        catch (IOException e)
        {
            throw new IOException($"{full} was written, but syncing its directory failed, so its name may not survive a power loss: {e.Message}", e);
        }
    }
}
