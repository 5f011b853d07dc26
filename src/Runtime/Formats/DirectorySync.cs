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

    /// <summary>
    /// A name beside <paramref name="path"/> to make a new file under before it is given its name
    /// (<see cref="LinkNew"/>): <c>path.create-&lt;guid&gt;.tmp</c>. Refuses at once a path that is
    /// already taken, before anything is created.
    /// </summary>
    /// <param name="path">Where the new file will be.</param>
    /// <param name="what">What the file is, for the message ("record file", "container").</param>
    /// <exception cref="IOException">Something exists at <paramref name="path"/>.</exception>
    public static string NameWhileCreating(string path, string what)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new IOException($"Cannot create the {what} '{full}': it already exists.");
        }

        return $"{full}.create-{System.Guid.NewGuid():N}.tmp";
    }

    /// <summary>
    /// Gives a finished new file its name without replacing anything: <c>File.Move</c> without
    /// overwrite links the name (<c>link(2)</c> on Unix, <c>MoveFileEx</c> on Windows) and fails if
    /// a file appeared there since <see cref="NameWhileCreating"/>. Locks and maps follow the file,
    /// not the name. The caller syncs the directory next.
    /// </summary>
    /// <param name="building">The finished file, under its temporary name.</param>
    /// <param name="path">Its name.</param>
    /// <param name="what">What the file is, for the message.</param>
    /// <exception cref="IOException">A file appeared at <paramref name="path"/>, or the OS refused.</exception>
    public static void LinkNew(string building, string path, string what)
    {
        try
        {
            File.Move(building, path, overwrite: false);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new IOException($"Cannot create the {what} '{Path.GetFullPath(path)}': it already exists.", e);
        }
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
