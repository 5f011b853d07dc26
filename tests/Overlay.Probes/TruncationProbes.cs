using System;
using System.IO;

namespace Overlay.Probes;

/// <summary>What .NET does when a mapped page another file handle truncated away is touched.</summary>
internal static class TruncationProbes
{
    /// <summary>
    /// <c>touch-truncated-page &lt;file&gt;</c>: maps the file's two pages, cuts the file to one page
    /// through another handle (as another process would), prints "truncated", then reads a byte of
    /// the lost page. Linux answers the access with SIGBUS; what the process does then is what the
    /// test records. Printing "ok" would mean the read returned.
    /// </summary>
    public static void TouchTruncatedPage(string[] arguments)
    {
        string path = arguments[0];
        using MemoryMap map = MemoryMap.Open(path);
        using (var other = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            other.SetLength(4096);
        }

        Console.WriteLine("truncated");
        Console.Out.Flush();
        try
        {
            Console.WriteLine($"read {map.ReadAt<byte>(4096 + 100)}");
        }
        catch (Exception e)
        {
            Console.WriteLine($"caught {e.GetType().FullName}: {e.Message}");
        }
    }
}
