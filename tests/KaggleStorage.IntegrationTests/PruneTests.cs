using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KaggleStorage.Hosting;
using KaggleStorage.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.IntegrationTests;

public sealed class PruneTests : IDisposable
{
    private const int Days = 400;
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly DateOnly _today = DateOnly.FromDateTime(DateTime.UtcNow);

    public PruneTests()
    {
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Dry_run_changes_nothing_and_prune_leaves_exactly_what_the_policy_keeps()
    {
        CreateStore(filesPerDay: 2);
        var before = Shell.HashTree(_root);

        var dryRun = await ToolProcess.RunAsync("--root", _root, "prune", "--dry-run", "--json");
        var afterDryRun = Shell.HashTree(_root);
        var prune = await ToolProcess.RunAsync("--root", _root, "prune");
        var again = await ToolProcess.RunAsync("--root", _root, "prune", "--json");

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Equal(before, afterDryRun);
        using (var plan = JsonDocument.Parse(dryRun.StdOut))
        {
            var items = plan.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(Days - 91, items.Count(i => i.GetProperty("area").GetString() == "raw" && i.GetProperty("decision").GetString() != "keep"));
        }

        Assert.True(prune.ExitCode == 0, prune.ToString());
        var raw = Directory.GetDirectories(Path.Combine(_root, "raw")).Select(Path.GetFileName).Where(n => n != "not-a-day").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, 91).Select(Day).Order(StringComparer.Ordinal), raw);
        var archives = Directory.GetFiles(Path.Combine(_root, "archive"), "*.tar.gz").Select(f => Path.GetFileName(f)[..8]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(91, 365 - 90).Select(Day).Order(StringComparer.Ordinal), archives);
        Assert.Equal(["weekly_" + Day(10) + ".html"], Directory.GetFiles(Path.Combine(_root, "reports")).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(_root, "raw", "not-a-day", "keep.txt")));

        var verify = await ToolProcess.RunAsync(["--root", _root, "verify", .. archives.Take(5), .. archives.TakeLast(5)]);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        Assert.True(again.ExitCode == 0, again.ToString());
        using var second = JsonDocument.Parse(again.StdOut);
        Assert.Equal(0, second.RootElement.GetProperty("removed").GetArrayLength());
    }

    [Fact]
    public async Task Killed_prune_leaves_every_day_whole_or_archived_and_a_rerun_finishes()
    {
        CreateStore(filesPerDay: 12);
        var original = Shell.HashTree(Path.Combine(_root, "raw"));
        // Prune archives a day, then deletes it; archives only accumulate. Trial n dies once 5·(n+1) days are
        // archived, so each kill lands further into the run (each run resumes the last).
        var archives = Path.Combine(_root, "archive");
        for (var trial = 0; trial < 3; trial++)
        {
            var enough = 5 * (trial + 1);
            using var process = Process.Start(ToolProcess.CreateStartInfo(["--root", _root, "prune"]))!;
            var killed = await CrashTiming.KillWhenAsync(process, () => CrashTiming.Count(archives, "*.tar.gz") >= enough);
            Assert.True(killed, $"trial {trial}: prune finished before {enough} days were archived");
            await AssertNoDayHalfGoneAsync(original);
        }

        var rerun = await ToolProcess.RunAsync("--root", _root, "prune");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        await AssertNoDayHalfGoneAsync(original);
        Assert.Equal(91, Directory.GetDirectories(Path.Combine(_root, "raw")).Count(d => Path.GetFileName(d) != "not-a-day"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".trash")));
    }

    [Fact]
    public async Task Second_prune_at_the_same_time_reports_the_lock_and_exits_1()
    {
        CreateStore(filesPerDay: 12);
        using var first = Process.Start(ToolProcess.CreateStartInfo(["--root", _root, "prune"]))!;
        var lockFile = Path.Combine(_root, ".locks", "store.lock");
        for (var i = 0; i < 300 && !File.Exists(lockFile) && !first.HasExited; i++)
        {
            await Task.Delay(20);
        }

        var second = await ToolProcess.RunAsync("--root", _root, "prune");
        var firstWasRunning = !first.HasExited;
        await first.WaitForExitAsync();

        Assert.True(firstWasRunning, "the first prune finished before the second started; make the store larger");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"pid {first.Id} (prune)", second.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, first.ExitCode);
    }

    private async Task AssertNoDayHalfGoneAsync(SortedDictionary<string, string> original)
    {
        await using var services = new ServiceCollection().AddKaggleStorage(o => o.Root = _root).BuildServiceProvider();
        var verifier = services.GetRequiredService<KaggleStorage.Archival.ArchiveVerifier>();
        var now = Shell.HashTree(Path.Combine(_root, "raw"));
        foreach (var day in original.Keys.Select(k => k.Split('/')[0]).Distinct())
        {
            var files = original.Where(kv => kv.Key.StartsWith(day + "/", StringComparison.Ordinal)).ToList();
            var present = files.Count(kv => now.TryGetValue(kv.Key, out var hash) && hash == kv.Value);
            Assert.True(present == 0 || present == files.Count, $"raw/{day} is half there: {present} of {files.Count} files");
            if (present == 0 && day != "not-a-day")
            {
                var age = _today.DayNumber - DateOnly.ParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture).DayNumber;
                Assert.True(age > 90, $"raw/{day} (age {age}) was deleted inside retention");
                if (age <= 365)
                {
                    var verification = await verifier.VerifyAsync(KaggleStorage.Layout.PartitionDate.Parse(day));
                    Assert.True(verification.IsValid, $"raw/{day} is gone without a verified archive: {string.Join("; ", verification.Problems)}");
                }
            }
        }
    }

    private void CreateStore(int filesPerDay)
    {
        for (var age = 0; age < Days; age++)
        {
            var directory = Path.Combine(_root, "raw", Day(age));
            Directory.CreateDirectory(directory);
            for (var f = 0; f < filesPerDay; f++)
            {
                File.WriteAllText(Path.Combine(directory, $"price_full_file_{f}.csv"), $"chainid,itemcode,itemprice\n7290027600007,{age},{f}.90\n");
            }
        }

        Directory.CreateDirectory(Path.Combine(_root, "raw", "not-a-day"));
        File.WriteAllText(Path.Combine(_root, "raw", "not-a-day", "keep.txt"), "unknown entries are never deleted");
        Directory.CreateDirectory(Path.Combine(_root, "reports"));
        File.WriteAllText(Path.Combine(_root, "reports", $"weekly_{Day(10)}.html"), "<p>recent</p>");
        File.WriteAllText(Path.Combine(_root, "reports", $"weekly_{Day(380)}.html"), "<p>old</p>");
    }

    private string Day(int age) => _today.AddDays(-age).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
