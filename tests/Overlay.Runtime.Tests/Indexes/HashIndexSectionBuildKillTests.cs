using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Overlay.Formats;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// A bulk build into a container section (<see cref="MappedContainer.BuildHashIndex{TKey, TValue}"/>)
/// killed (SIGKILL) while it writes the table, or between the build and the commit: the container
/// reopens as it was before the build (no section "bulk", every other section as committed, nothing
/// to recover); killed after the commit, it holds the whole index. The build runs in a child
/// process (tests/Overlay.Probes, scenario hash-index-section-bulk-build: 3M keys through a 1 MiB
/// budget, so the spill and the partitions beside the container are in play).
/// </summary>
public sealed class HashIndexSectionBuildKillTests : IDisposable
{
    private const ulong ContainerTag = 0x4255_4C4B_5345_4354UL; // IndexProbes.SectionBuildTag
    private const int Keys = 3_000_000;

    private readonly string _directory = Directory.CreateTempSubdirectory("overlay-hash-section-build-kill-").FullName;

    private string ContainerPath => Path.Combine(_directory, "c.ovc");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// Killed at four moments after the build begins (right away, then later), while the build
    /// writes the table or once it is done (the probe then waits before its commit): each time the
    /// container is the committed one from before the build. Killed right after "built" (the
    /// section made and open, the commit not begun): the same, every time. Killed after
    /// "committed": the whole index.
    /// </summary>
    [Fact]
    public void ABuildKilledAtAnyMomentBeforeTheCommitLeavesTheContainerAsItWas()
    {
        foreach (int delay in new[] { 0, 50, 200, 600 })
        {
            Assert.False(KillAfter("building", delay, commit: false));
        }

        Assert.False(KillAfter("built", 0, commit: false));
        Assert.True(KillAfter("committed", 0, commit: true));
    }

    /// <summary>
    /// Prepares the container, starts the child, kills it <paramref name="delayMilliseconds"/> after
    /// it prints <paramref name="line"/> (<paramref name="commit"/>: letting it commit first);
    /// returns whether the index was committed.
    /// </summary>
    private bool KillAfter(string line, int delayMilliseconds, bool commit)
    {
        foreach (string file in Directory.GetFiles(_directory))
        {
            File.Delete(file);
        }

        using (MappedContainer container = MappedContainer.Create(ContainerPath, ContainerTag))
        {
            container.AddRaw("blob").Append("committed before the build"u8);
            using MappedHashIndex<ulong, TwinValue> small = container.AddHashIndex<ulong, TwinValue>("small");
            for (ulong k = 0; k < 100; k++)
            {
                TwinValue value = small.GetOrAdd(k);
                value.Map.WriteAt(value.Offset, k * 3);
            }

            container.Commit();
        }

        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add("hash-index-section-bulk-build");
        start.ArgumentList.Add(ContainerPath);
        start.ArgumentList.Add(_directory);
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using (Process process = Process.Start(start)!)
        {
            if (commit)
            {
                process.StandardInput.WriteLine();
                process.StandardInput.Flush();
            }

            string? printed;
            do
            {
                printed = process.StandardOutput.ReadLine();
                if (printed is null)
                {
                    Assert.Fail($"the probe ended before it printed '{line}': {process.StandardError.ReadToEnd()}");
                }
            }
            while (printed != line);

            if (delayMilliseconds > 0)
            {
                Thread.Sleep(delayMilliseconds);
            }

            process.Kill(); // SIGKILL: no finally block, no Dispose runs
            process.WaitForExit();
        }

        return CheckContainer();
    }

    /// <summary>The container opens with nothing to recover; it is as committed before the build, or it holds the whole index.</summary>
    private bool CheckContainer()
    {
        using MappedContainer container = MappedContainer.Open(ContainerPath, ContainerTag);
        Assert.Equal("committed before the build"u8.ToArray(), container.Raw("blob").ToArray());
        using (MappedHashIndex<ulong, TwinValue> small = container.HashIndex<ulong, TwinValue>("small"))
        {
            Assert.Equal(100, small.Count);
            TwinValue value = small.GetValue(99);
            Assert.Equal(99UL * 3, value.Map.ReadAt<ulong>(value.Offset));
        }

        List<string> names = container.Sections.Select(s => s.Name).ToList();
        if (!names.Contains("bulk"))
        {
            Assert.Equal(new[] { "blob", "small" }, names);
            return false;
        }

        using MappedHashIndex<ulong, TwinValue> bulk = container.HashIndex<ulong, TwinValue>("bulk");
        Assert.Equal(Keys, bulk.Count);
        Assert.True(bulk.ContainsKey(unchecked(Keys * 0x9E3779B97F4A7C15UL)), "a key is missing from the committed index");
        Assert.True(bulk.ContainsKey(0x9E3779B97F4A7C15UL), "a key is missing from the committed index");
        return true;
    }
}
