using System.Globalization;
using KaggleStorage.Archival;
using KaggleStorage.Hosting;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Retention;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// The store's promise across commands and nights: an archive never holds less than the one it replaces, a late ETL
/// write is archived instead of wedging prune, a day with an invalid manifest is kept, and states left by a kill
/// between two publishes are named truthfully and repaired.
/// </summary>
public sealed class ArchiveLifecycleTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly DateOnly _today = DateOnly.FromDateTime(DateTime.UtcNow);

    public ArchiveLifecycleTests()
    {
        _root = _temp.Combine("store");
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Archive_with_force_after_prune_keeps_the_raw_files_that_are_no_longer_live()
    {
        var day = Day(100);
        await SampleStore.WriteRawDayAsync(_root, day, 64 << 10);
        SampleStore.WriteProcessedDay(_root, day);
        var raw = Shell.HashTree(Path.Combine(_root, "raw", day));
        var env = Retention(processedDays: 365);
        var prune = await ToolProcess.RunAsync(["--root", _root, "prune"], env);
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", day)), "prune should have removed raw/" + day);
        Assert.True(Directory.Exists(Path.Combine(_root, "processed", day)));

        await File.WriteAllTextAsync(Path.Combine(_root, "processed", day, "load_summary.json"), "{\"schemaVersion\":1,\"rerun\":true}");
        var forced = await ToolProcess.RunAsync(["--root", _root, "archive", day, "--force"], env);

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("carried over", forced.StdOut, StringComparison.Ordinal);
        var restored = await RestoreElsewhereAsync(day);
        Assert.Equal(raw, Shell.HashTree(Path.Combine(restored, "raw", day)));
        Assert.Equal("{\"schemaVersion\":1,\"rerun\":true}", await File.ReadAllTextAsync(Path.Combine(restored, "processed", day, "load_summary.json")));
    }

    [Fact]
    public async Task The_night_job_with_late_etl_writes_exits_0_on_two_nights_and_loses_nothing()
    {
        var (old, recent, today) = (Day(100), Day(10), Day(0));
        foreach (var day in new[] { old, recent, today })
        {
            await SampleStore.WriteRawDayAsync(_root, day, 32 << 10, seed: day.GetHashCode(StringComparison.Ordinal));
            SampleStore.WriteProcessedDay(_root, day);
        }

        var rawOld = Shell.HashTree(Path.Combine(_root, "raw", old));
        var env = Retention(processedDays: 90, keepLast: 1);
        foreach (var night in new[] { 1, 2 })
        {
            var archive = await ToolProcess.RunAsync(["--root", _root, "archive", "--older-than", "7"], env);
            Assert.True(archive.ExitCode == 0, $"night {night}: {archive}");

            // The ETL writes late: a re-run of an archived day, after the archive step of the night.
            var late = night == 1 ? old : recent;
            await WriteLaterAsync(Path.Combine(_root, "processed", late, "load_summary.json"), $"{{\"schemaVersion\":1,\"night\":{night}}}");

            var prune = await ToolProcess.RunAsync(["--root", _root, "prune"], env);
            var check = await ToolProcess.RunAsync(["--root", _root, "status", "--check"], env);
            Assert.True(prune.ExitCode == 0, $"night {night}: {prune}");
            Assert.True(check.ExitCode == 0, $"night {night}: {check}");
        }

        // The old day is gone from the volume but whole in its archive, with the late write in it.
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", old)));
        Assert.False(Directory.Exists(Path.Combine(_root, "processed", old)));
        var restored = await RestoreElsewhereAsync(old);
        Assert.Equal(rawOld, Shell.HashTree(Path.Combine(restored, "raw", old)));
        Assert.Equal("{\"schemaVersion\":1,\"night\":1}", await File.ReadAllTextAsync(Path.Combine(restored, "processed", old, "load_summary.json")));

        // The recent day is live and stale after night 2's late write; status says so and the next run refreshes it.
        var status = await ToolProcess.RunAsync(["--root", _root, "status"], env);
        Assert.Contains($"{recent}: archive stale", status.StdOut, StringComparison.Ordinal);
        var refresh = await ToolProcess.RunAsync(["--root", _root, "archive", "--older-than", "7"], env);
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Contains($"{recent}: refreshed", refresh.StdOut, StringComparison.Ordinal);
        var verify = await ToolProcess.RunAsync(["--root", _root, "verify", recent], env);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.DoesNotContain("stale", verify.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_day_whose_manifest_is_invalid_is_neither_archived_nor_pruned_and_the_check_says_why()
    {
        var day = Day(100);
        await SampleStore.WriteRawDayAsync(_root, day, 32 << 10);
        await SampleStore.WriteRawDayAsync(_root, Day(0), 32 << 10);
        var csv = Directory.GetFiles(Path.Combine(_root, "raw", day), "*.csv")[0];
        await File.AppendAllTextAsync(csv, "damaged,row\n");
        var env = Retention(processedDays: 90, keepLast: 1);

        var archive = await ToolProcess.RunAsync(["--root", _root, "archive", day], env);
        var prune = await ToolProcess.RunAsync(["--root", _root, "prune"], env);
        var check = await ToolProcess.RunAsync(["--root", _root, "status", "--check"], env);

        Assert.True(archive.ExitCode == 1, archive.ToString());
        Assert.Contains($"raw/{day} was not archived: its download manifest is invalid", archive.StdOut + archive.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "archive", day + ".tar.gz")));
        Assert.True(prune.ExitCode == 1, prune.ToString());
        Assert.True(File.Exists(csv));
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains($"raw/{day} is past retention, but prune keeps it", check.StdOut + check.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_that_describes_another_archive_is_stale_and_the_next_archive_run_repairs_it_keeping_every_file()
    {
        var day = Day(10);
        await SampleStore.WriteRawDayAsync(_root, day, 32 << 10);
        SampleStore.WriteProcessedDay(_root, day);
        var archivePath = Path.Combine(_root, "archive", day + ".tar.gz");
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", day)).ExitCode);
        var first = _temp.Combine("first.tar.gz");
        File.Copy(archivePath, first);
        await WriteLaterAsync(Path.Combine(_root, "processed", day, "validation_report.json"), "{\"schemaVersion\":1,\"second\":true}");
        var second = await ToolProcess.RunAsync("--root", _root, "archive", day);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("refreshed", second.StdOut, StringComparison.Ordinal);

        // A replace stopped between its publishes: the pending index and the new index beside the old archive.
        File.Copy(first, archivePath, overwrite: true);
        File.Copy(archivePath + ".index.json", archivePath + ".index.json.next");
        Directory.Delete(Path.Combine(_root, "processed", day), recursive: true);

        var status = await ToolProcess.RunAsync("--root", _root, "status");
        var verify = await ToolProcess.RunAsync("--root", _root, "verify", day);
        var repair = await ToolProcess.RunAsync("--root", _root, "archive", "--all");
        var after = await ToolProcess.RunAsync("--root", _root, "verify", day);

        Assert.Contains("a replace of it was stopped", status.StdOut, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains("archiving the day again repairs the pair", verify.StdOut, StringComparison.Ordinal);
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains(day, repair.StdOut, StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.False(File.Exists(archivePath + ".index.json.next"));
        var restored = await RestoreElsewhereAsync(day);
        Assert.Equal("{\"schemaVersion\":1}", await File.ReadAllTextAsync(Path.Combine(restored, "processed", day, "validation_report.json")));
        Assert.True(File.Exists(Path.Combine(restored, "processed", day, "load_summary.json")));
    }

    [Fact]
    public async Task Archiving_a_day_with_nothing_live_rewrites_an_index_that_does_not_describe_its_archive()
    {
        var day = Day(10);
        await SampleStore.WriteRawDayAsync(_root, day, 32 << 10);
        SampleStore.WriteProcessedDay(_root, day);
        var archivePath = Path.Combine(_root, "archive", day + ".tar.gz");
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", day)).ExitCode);
        var first = _temp.Combine("first.tar.gz");
        File.Copy(archivePath, first);
        await WriteLaterAsync(Path.Combine(_root, "processed", day, "load_summary.json"), "{\"schemaVersion\":1,\"again\":true}");
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", day)).ExitCode);
        File.Copy(first, archivePath, overwrite: true);
        Directory.Delete(Path.Combine(_root, "raw", day), recursive: true);
        Directory.Delete(Path.Combine(_root, "processed", day), recursive: true);

        var before = await ToolProcess.RunAsync("--root", _root, "verify", day);
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", day);
        var after = await ToolProcess.RunAsync("--root", _root, "verify", day);

        Assert.True(before.ExitCode == 1, before.ToString());
        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(archivePath));
    }

    [Fact]
    public async Task A_file_deleted_after_its_archive_does_not_keep_the_rest_of_the_day_from_prune()
    {
        var day = Day(100);
        await SampleStore.WriteRawDayAsync(_root, day, 16 << 10);
        SampleStore.WriteProcessedDay(_root, day);
        await SampleStore.WriteRawDayAsync(_root, Day(0), 16 << 10);
        SampleStore.WriteProcessedDay(_root, Day(0));
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", day)).ExitCode);
        File.Delete(Path.Combine(_root, "processed", day, "validation_report.json"));

        var prune = await ToolProcess.RunAsync(["--root", _root, "prune"], Retention(processedDays: 90, keepLast: 1));

        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.False(Directory.Exists(Path.Combine(_root, "processed", day)));
        var restored = await RestoreElsewhereAsync(day);
        Assert.True(File.Exists(Path.Combine(restored, "processed", day, "validation_report.json")), "the archive keeps what is no longer live");
    }

    [Fact]
    public async Task A_first_archive_stopped_before_it_published_leaves_a_pending_index_that_verify_notes_and_the_next_archive_removes()
    {
        var (stopped, other) = (Day(12), Day(11));
        await SampleStore.WriteRawDayAsync(_root, stopped, 16 << 10);
        await SampleStore.WriteRawDayAsync(_root, other, 16 << 10);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", other)).ExitCode);
        var pending = Path.Combine(_root, "archive", stopped + ".tar.gz.index.json.next");
        File.Copy(Path.Combine(_root, "archive", other + ".tar.gz.index.json"), pending);

        var verify = await ToolProcess.RunAsync("--root", _root, "verify");
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", "--all");
        var after = await ToolProcess.RunAsync("--root", _root, "verify");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("stopped before it published", verify.StdOut, StringComparison.Ordinal);
        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.False(File.Exists(pending));
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.DoesNotContain("stale", after.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_day_set_aside_by_a_stopped_replace_is_named_as_the_only_copy_and_put_back_by_the_next_locked_command()
    {
        var day = Day(3);
        await SampleStore.WriteRawDayAsync(_root, day, 32 << 10);
        var original = Shell.HashTree(Path.Combine(_root, "raw", day));
        var staging = Path.Combine(_root, ".staging");
        Directory.CreateDirectory(staging);
        var aside = Path.Combine(staging, "0badc0de-download-0123456789ab.aside");
        Directory.Move(Path.Combine(_root, "raw", day), aside);
        await File.WriteAllTextAsync(aside + ".target", Path.Combine(_root, "raw", day));

        var check = await ToolProcess.RunAsync("--root", _root, "status", "--check");
        var verify = await ToolProcess.RunAsync("--root", _root, "verify");
        var next = await ToolProcess.RunAsync("--root", _root, "archive", "--all");

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains($"raw/{day} is set aside at {aside}", check.StdOut + check.StdErr, StringComparison.Ordinal);
        Assert.Contains("the next locked command puts it back", check.StdOut, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains($"raw/{day} is set aside at {aside}", verify.StdOut, StringComparison.Ordinal);
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(original, Shell.HashTree(Path.Combine(_root, "raw", day)));
    }

    [Fact]
    public async Task Archive_all_made_again_under_the_lock_skips_a_day_pruned_since_the_plan()
    {
        var day = Day(20);
        await SampleStore.WriteRawDayAsync(_root, day, 16 << 10);
        await using var services = new ServiceCollection().AddKaggleStorage(o => o.Root = _root).BuildServiceProvider();
        var archives = services.GetRequiredService<ArchiveService>();
        var plan = await archives.PlanUnarchivedAsync();
        Assert.Equal(day, Assert.Single(plan.Days).Date.ToString());

        // Another run archives and prunes the day between the plan and its execution.
        await archives.ExecuteAsync(await archives.PlanAsync([PartitionDate.Parse(day)]));
        Directory.Delete(Path.Combine(_root, "raw", day), recursive: true);
        var result = await archives.ExecuteAsync(plan, force: true);

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal("skipped", outcome.Status);
        Assert.False(result.HasFailures);
        var verification = await services.GetRequiredService<VerifyService>().VerifyAsync([PartitionDate.Parse(day)]);
        Assert.True(verification.IsValid, string.Join("; ", verification.Days.SelectMany(d => d.Problems)));
        Assert.Contains(Assert.Single(verification.Days).Archive!.Files, file => file.Path.EndsWith(".csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prune_stops_deleting_the_moment_its_lock_is_lost()
    {
        foreach (var age in new[] { 400, 401, 402, 403, 0 })
        {
            var directory = Path.Combine(_root, "raw", Day(age));
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "prices.csv"), $"h\n{age}\n");
        }

        await using var services = new ServiceCollection()
            .AddKaggleStorage(o => o.Root = _root)
            .Configure<RetentionOptions>(o => o.KeepLast = 1)
            .BuildServiceProvider();
        var prune = services.GetRequiredService<PruneService>();
        var plan = await prune.PlanAsync();
        Assert.Equal(4, plan.Removals.Count());
        var lockFile = Path.Combine(_root, ".locks", "store.lock");

        // Another actor takes the lock over as soon as the first removal begins.
        var stolen = new InlineProgress(p =>
        {
            if (p.FilesDone == 0 && File.Exists(lockFile))
            {
                File.Delete(lockFile);
            }
        });

        await Assert.ThrowsAsync<StoreLockLostException>(() => prune.ExecuteAsync(plan, stolen));

        var left = new[] { 400, 401, 402, 403 }.Count(age => Directory.Exists(Path.Combine(_root, "raw", Day(age))));
        Assert.True(left >= 3, $"prune went on deleting after its lock was lost: {4 - left} of 4 old days removed");
    }

    private async Task<string> RestoreElsewhereAsync(string day)
    {
        var into = _temp.Combine("restored-" + Guid.NewGuid().ToString("N")[..6]);
        var restore = await ToolProcess.RunAsync("--root", _root, "restore", day, "--into", into);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        return into;
    }

    /// <summary>Writes a file with a modification time clearly after anything archived before it.</summary>
    private static async Task WriteLaterAsync(string path, string content)
    {
        await File.WriteAllTextAsync(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
    }

    private static Dictionary<string, string?> Retention(int processedDays, int keepLast = 0) => new()
    {
        ["KaggleStorage__Retention__ProcessedDays"] = processedDays.ToString(CultureInfo.InvariantCulture),
        ["KaggleStorage__Retention__KeepLast"] = keepLast.ToString(CultureInfo.InvariantCulture),
    };

    private string Day(int age) => _today.AddDays(-age).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private sealed class InlineProgress(Action<OperationProgress> report) : IProgress<OperationProgress>
    {
        public void Report(OperationProgress value) => report(value);
    }
}
