using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Schemas;

public class UpgradeKillTests
{
    private const ulong Tag = ContainerFiles.Tag;
    private readonly ITestOutputHelper _output;

    public UpgradeKillTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void AnUpgradeKilledAtRandomPointsLeavesTheOldFileOrTheUpgradedOne()
    {
        const int Records = 1 << 20; // 16 batches of 64K: about 16 pauses of 2 ms
        using var pristine = new TempPath();
        using (MappedContainer container = MappedContainer.Create(pristine.Path, Tag))
        {
            RecordSection<PlayerV1.View> players = container.AddRecords<PlayerV1.View>("players", Records);
            for (int i = 0; i < Records; i++)
            {
                players.Append(new PlayerV1 { Id = i, Score = i });
            }

            container.Commit();
        }

        byte[] old = File.ReadAllBytes(pristine.Path);
        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        var random = new Random(9);
        int olds = 0, news = 0;
        for (int run = 0; run < 8; run++)
        {
            using var target = new TempPath();
            File.Copy(pristine.Path, target.Path);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(probe);
            start.ArgumentList.Add("upgrade-slowly");
            start.ArgumentList.Add(target.Path);
            start.ArgumentList.Add(Tag.ToString("X", CultureInfo.InvariantCulture));
            start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
            using Process process = Process.Start(start)!;
            Assert.Equal("started", process.StandardOutput.ReadLine());
            int delay = run * 40 + random.Next(40);
            System.Threading.Thread.Sleep(delay);
            process.Kill();
            process.WaitForExit();

            byte[] after = File.ReadAllBytes(target.Path);
            if (after.AsSpan().SequenceEqual(old))
            {
                olds++;
                continue;
            }

            // Not the old file: then the complete upgraded one, every record converted.
            using MappedContainer upgraded = MappedContainer.Open(target.Path, Tag, MapAccess.Read);
            Assert.Equal("Overlay.Probes.UpgradedPlayer", upgraded.GetSchema("players")!.Name);
            SectionInfo players = upgraded.Sections[0];
            Assert.Equal(Records, players.Count);
            Assert.Equal(24u, players.Stride);
            byte[] last = new byte[8];
            upgraded.Map.ReadAt(players.Offset + ((Records - 1) * 24L), last);
            Assert.Equal(Records - 1, BitConverter.ToInt64(last));
            news++;
        }

        _output.WriteLine($"killed 8 upgrades: {olds} left the old file, {news} the upgraded one");
        Assert.True(olds > 0, "no kill landed before the rename");
    }
}
