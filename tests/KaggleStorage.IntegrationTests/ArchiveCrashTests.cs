using System.Diagnostics;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

public sealed class ArchiveCrashTests : IDisposable
{
    private static readonly string[] Days = ["20241024", "20241025", "20241026"];
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Killed_archive_never_leaves_a_partial_archive_under_its_final_name_and_a_rerun_completes()
    {
        var root = _temp.Combine("store");
        // Days big enough that each stage lasts a while even with every core on it: the watcher freezes the process
        // only between its looks, and on a busy machine its own looks can be far apart.
        foreach (var day in Days)
        {
            await SampleStore.WriteRawDayAsync(root, day, 96L << 20);
        }

        // Each trial dies at a moment it observes: while the first day's archive is being written, between days
        // (one archive published, the next being written), while the last day's is written, and while a re-run
        // that finds the first days already archived writes the rest.
        var archives = Path.Combine(root, "archive");
        var moments = new Func<DateTime, bool>[]
        {
            since => CrashTiming.StagingHolds(root, since),
            since => CrashTiming.Count(archives, "*.tar.gz") >= 1 && CrashTiming.StagingHolds(root, since),
            since => CrashTiming.StagingHolds(root, since, Days[^1]),
            since => CrashTiming.StagingHolds(root, since),
        };
        for (var trial = 0; trial < moments.Length; trial++)
        {
            var started = DateTime.UtcNow;
            using var process = Process.Start(ToolProcess.CreateStartInfo(["--root", root, "archive", "--all", "--force"]))!;
            var moment = moments[trial];
            Assert.True(await CrashTiming.KillWhenAsync(process, () => moment(started)), $"trial {trial}: the archive finished before its moment came");

            foreach (var day in Days)
            {
                var archive = Path.Combine(root, "archive", day + ".tar.gz");
                // Killed between publishing the archive and its index, the pending index says so and the next
                // archive repairs the pair (checked by the re-run below); otherwise what is published verifies.
                if (File.Exists(archive) && !File.Exists(archive + ".index.json.next"))
                {
                    var gzip = await Shell.RunAsync("gzip", "-t", archive);
                    Assert.True(gzip.ExitCode == 0, $"trial {trial}: {archive} is under its final name but broken: {gzip.StdErr}");
                    var verify = await ToolProcess.RunAsync("--root", root, "verify", day);
                    Assert.True(verify.ExitCode == 0, $"trial {trial}: {verify}");
                }
            }

            // Start the next trial from scratch for the days not yet archived, so kills land at different stages.
            if (trial % 2 == 1 && Directory.Exists(Path.Combine(root, "archive")))
            {
                foreach (var file in Directory.GetFiles(Path.Combine(root, "archive")))
                {
                    File.Delete(file);
                }
            }
        }

        var rerun = await ToolProcess.RunAsync("--root", root, "archive", "--all");
        var verifyAll = await ToolProcess.RunAsync("--root", root, "verify");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.True(verifyAll.ExitCode == 0, verifyAll.ToString());
        Assert.All(Days, day => Assert.True(File.Exists(Path.Combine(root, "archive", day + ".tar.gz"))));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, ".staging")));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "archive"), ".*"));
    }
}
