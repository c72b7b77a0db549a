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
        foreach (var day in Days)
        {
            await SampleStore.WriteRawDayAsync(root, day, 40L << 20);
        }

        var random = new Random(20241026);
        var killedWhileRunning = 0;
        for (var trial = 0; trial < 4; trial++)
        {
            using var process = Process.Start(ToolProcess.CreateStartInfo(["--root", root, "archive", "--all", "--force"]))!;
            if (await CrashTiming.KillDuringWorkAsync(process, root, random, 1200))
            {
                killedWhileRunning++;
            }

            foreach (var day in Days)
            {
                var archive = Path.Combine(root, "archive", day + ".tar.gz");
                if (File.Exists(archive))
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

        Assert.True(killedWhileRunning > 0, "no trial killed the archiver while it was running");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.True(verifyAll.ExitCode == 0, verifyAll.ToString());
        Assert.All(Days, day => Assert.True(File.Exists(Path.Combine(root, "archive", day + ".tar.gz"))));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, ".staging")));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "archive"), ".*"));
    }
}
