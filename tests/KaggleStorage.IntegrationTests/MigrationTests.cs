using System.Diagnostics;
using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

public sealed class MigrationTests : IDisposable
{
    private static readonly string[] Days = ["20241024", "20241025", "20241026"];
    private readonly TempDirectory _temp = new();
    private readonly string _legacy;
    private readonly string _root;

    public MigrationTests()
    {
        _legacy = _temp.Combine("jobs", "fetch-kaggle", "data");
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Migrated_files_are_byte_identical_with_manifests_times_and_a_journal()
    {
        await CreateLegacyAsync(bytesPerDay: 1 << 20);
        var legacy = Shell.HashTree(_legacy);
        var time = File.GetLastWriteTimeUtc(Path.Combine(_legacy, "kaggle_raw", Days[0], "price_full_file_shufersal.csv"));

        var result = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var (path, hash) in legacy)
        {
            var destination = path.StartsWith("kaggle_raw", StringComparison.Ordinal) ? "raw" + path["kaggle_raw".Length..] : path;
            Assert.Equal(hash, Shell.HashTree(_root)[destination]);
        }

        Assert.Equal(time, File.GetLastWriteTimeUtc(Path.Combine(_root, "raw", Days[0], "price_full_file_shufersal.csv")));
        var verify = await ToolProcess.RunAsync("--root", _root, "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        using var output = JsonDocument.Parse(result.StdOut);
        var journalPath = output.RootElement.GetProperty("journalPath").GetString()!;
        using var journal = JsonDocument.Parse(File.ReadAllBytes(journalPath));
        Assert.Equal("succeeded", journal.RootElement.GetProperty("outcome").GetString());
        var first = journal.RootElement.GetProperty("entries")[0];
        Assert.Equal("copied", first.GetProperty("outcome").GetString());
        Assert.Equal("partition", first.GetProperty("kind").GetString());
        Assert.True(first.GetProperty("manifestWritten").GetBoolean());
        Assert.Equal(legacy[$"kaggle_raw/{Days[0]}/price_full_file_shufersal.csv"],
            first.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "price_full_file_shufersal.csv").GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Dry_run_leaves_both_trees_unchanged()
    {
        await CreateLegacyAsync(bytesPerDay: 256 << 10);
        var before = Shell.HashTree(_legacy);

        var result = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy, "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{Days[0]}  copy   12 files", result.StdOut, StringComparison.Ordinal);
        Assert.Equal(before, Shell.HashTree(_legacy));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public async Task Second_run_changes_nothing_and_says_so()
    {
        await CreateLegacyAsync(bytesPerDay: 256 << 10);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy)).ExitCode);
        var after = Shell.HashTree(Path.Combine(_root, "raw"));

        var again = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", Path.Combine(_legacy, "kaggle_raw"));

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Nothing to do", again.StdOut, StringComparison.Ordinal);
        Assert.Equal(after, Shell.HashTree(Path.Combine(_root, "raw")));
    }

    [Fact]
    public async Task Conflicting_day_is_reported_and_not_overwritten_while_the_others_migrate()
    {
        await CreateLegacyAsync(bytesPerDay: 256 << 10);
        var conflicting = Path.Combine(_root, "raw", Days[1]);
        Directory.CreateDirectory(conflicting);
        File.WriteAllText(Path.Combine(conflicting, "price_full_file_shufersal.csv"), "someone else's data");

        var result = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"PROBLEM {conflicting} exists and differs", result.StdOut, StringComparison.Ordinal);
        Assert.Equal("someone else's data", File.ReadAllText(Path.Combine(conflicting, "price_full_file_shufersal.csv")));
        Assert.Single(Directory.GetFiles(conflicting));
        Assert.True(File.Exists(Path.Combine(_root, "raw", Days[0], "download_manifest.json")));
        Assert.True(File.Exists(Path.Combine(_root, "raw", Days[2], "download_manifest.json")));
    }

    [Fact]
    public async Task Delete_source_removes_only_verified_days()
    {
        await CreateLegacyAsync(bytesPerDay: 256 << 10);
        Directory.CreateDirectory(Path.Combine(_root, "raw", Days[1]));
        File.WriteAllText(Path.Combine(_root, "raw", Days[1], "x.csv"), "conflict");

        var result = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy, "--delete-source");

        Assert.Equal(1, result.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_legacy, "kaggle_raw", Days[0])));
        Assert.True(Directory.Exists(Path.Combine(_legacy, "kaggle_raw", Days[1])));
        Assert.False(Directory.Exists(Path.Combine(_legacy, "kaggle_raw", Days[2])));
        Assert.Contains("Deleted 2 legacy days", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_in_the_store_day_is_never_taken_for_its_copy_so_delete_source_keeps_the_legacy_day()
    {
        await CreateLegacyAsync(bytesPerDay: 256 << 10);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy)).ExitCode);
        // The store's copy replaced by a link to the legacy file: same bytes when followed, but the store day holds
        // no file of that name, and deleting the source would leave the link pointing at nothing.
        var legacyFile = Path.Combine(_legacy, "kaggle_raw", Days[1], "price_full_file_shufersal.csv");
        var storeFile = Path.Combine(_root, "raw", Days[1], "price_full_file_shufersal.csv");
        File.Delete(storeFile);
        File.CreateSymbolicLink(storeFile, legacyFile);

        var result = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy, "--delete-source");

        Assert.Equal(1, result.ExitCode);
        Assert.True(File.Exists(legacyFile), result.ToString());
        Assert.False(Directory.Exists(Path.Combine(_legacy, "kaggle_raw", Days[0])));
    }

    [Fact]
    public async Task Migrating_days_past_retention_says_what_the_next_prune_will_do_to_them()
    {
        await CreateLegacyAsync(bytesPerDay: 64 << 10);

        var dryRun = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy, "--dry-run");
        var json = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy, "--json");

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains($"RETENTION {Days.Length} of the {Days.Length} migrated days", dryRun.StdOut, StringComparison.Ordinal);
        Assert.Contains("deletes 3 older than the 365-day archive window without an archive", dryRun.StdOut, StringComparison.Ordinal);
        Assert.Contains("prune --dry-run", dryRun.StdOut, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(json.StdOut);
        Assert.NotEmpty(document.RootElement.GetProperty("retentionNotes").EnumerateArray());
    }

    [Fact]
    public async Task Rollback_to_the_kaggle_raw_folder_means_the_same_as_to_its_data_folder()
    {
        await CreateLegacyAsync(bytesPerDay: 64 << 10);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy)).ExitCode);
        var back = _temp.Combine("back", "data");

        var rollback = await ToolProcess.RunAsync("--root", _root, "rollback", "--to", Path.Combine(back, "kaggle_raw"));

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.True(Directory.Exists(Path.Combine(back, "kaggle_raw", Days[0])));
        Assert.False(Directory.Exists(Path.Combine(back, "kaggle_raw", "kaggle_raw")));
    }

    [Fact]
    public async Task Legacy_manifest_is_kept_and_a_mismatch_is_reported()
    {
        await CreateLegacyAsync(bytesPerDay: 128 << 10);
        var day = Path.Combine(_legacy, "kaggle_raw", Days[0]);
        File.WriteAllText(
            Path.Combine(day, "download_manifest.json"),
            $"{{\"schemaVersion\":1,\"datasetId\":\"a/b\",\"partition\":\"{Days[0]}\",\"downloadedAtUtc\":\"2024-10-24T02:00:00Z\",\"source\":\"legacy\",\"files\":[{{\"name\":\"price_full_file_shufersal.csv\",\"sizeBytes\":1,\"sha256\":\"00\"}}]}}");
        var manifest = File.ReadAllText(Path.Combine(day, "download_manifest.json"));

        var result = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{Days[0]}: price_full_file_shufersal.csv does not match the legacy manifest", result.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{Days[0]}: promo_full_file_victory.csv is not listed in the legacy manifest", result.StdOut, StringComparison.Ordinal);
        Assert.Equal(manifest, File.ReadAllText(Path.Combine(_root, "raw", Days[0], "download_manifest.json")));
    }

    [Fact]
    public async Task Rollback_restores_an_identical_legacy_tree()
    {
        await CreateLegacyAsync(bytesPerDay: 256 << 10);
        var original = Shell.HashTree(_legacy);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy)).ExitCode);

        // The newest journal is then a run that only skipped; rollback must still leave out the manifests.
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy)).ExitCode);
        var back = _temp.Combine("rolled-back", "data");

        var dryRun = await ToolProcess.RunAsync("--root", _root, "rollback", "--to", back, "--dry-run");
        var existsAfterDryRun = Directory.Exists(back);
        var rollback = await ToolProcess.RunAsync("--root", _root, "rollback", "--to", back);

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.False(existsAfterDryRun);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(original, Shell.HashTree(back));
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(_root, "raw")).Length);
    }

    [Fact]
    public async Task Missing_source_is_bad_input()
    {
        var result = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _temp.Combine("nowhere"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("The legacy folder", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("does not exist", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public async Task Disk_full_mid_copy_fails_cleanly_with_the_os_error_and_an_untouched_source()
    {
        await CreateLegacyAsync(bytesPerDay: 1200 << 10);
        var before = Shell.HashTree(_legacy);
        Directory.CreateDirectory(_root);
        var mount = await Shell.RunAsync("mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", _root);
        if (mount.ExitCode != 0)
        {
            Assert.NotEqual("root", Environment.UserName);
            return;
        }

        try
        {
            // Leave just the room the preflight asks for (the bytes to copy): it lets the run start, and the
            // run then meets a full disk, since files take whole blocks and manifests and the journal need room too.
            var toCopy = Directory.EnumerateFiles(_legacy, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);
            var slack = new DriveInfo(_root).AvailableFreeSpace - toCopy - (40 << 10);
            Assert.True(slack > 0, "the legacy data does not fit the volume at all");
            await File.WriteAllBytesAsync(Path.Combine(_root, "neighbour.bin"), new byte[slack]);

            var result = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("No space left on device", result.StdErr, StringComparison.Ordinal);
            Assert.Equal(before, Shell.HashTree(_legacy));
            Assert.Empty(Directory.GetDirectories(Path.Combine(_root, ".staging")));
            foreach (var day in Directory.GetDirectories(Path.Combine(_root, "raw")))
            {
                var verify = await ToolProcess.RunAsync("--root", _root, "verify", Path.GetFileName(day));
                Assert.True(verify.ExitCode == 0, verify.ToString());
            }
        }
        finally
        {
            await Shell.RunAsync("umount", _root);
        }
    }

    [Fact]
    public async Task Killed_migration_resumes_and_leaves_nothing_partial_under_a_final_name()
    {
        var days = new[] { "20241021", "20241022", "20241023", "20241024", "20241025", "20241026" };
        foreach (var day in days)
        {
            await SampleStore.WriteRawDayAsync(_temp.Combine("gen"), day, 40L << 20, seed: 3);
            Directory.CreateDirectory(Path.Combine(_legacy, "kaggle_raw"));
            Directory.Move(_temp.Combine("gen", "raw", day), Path.Combine(_legacy, "kaggle_raw", day));
            File.Delete(Path.Combine(_legacy, "kaggle_raw", day, "download_manifest.json"));
        }

        var original = Shell.HashTree(Path.Combine(_legacy, "kaggle_raw"));
        // Trial n dies while a day is being copied into staging after at least n days were published (each run
        // resumes the last), so the kills land at the first day, between days and late in the run.
        for (var trial = 0; trial < 4; trial++)
        {
            var published = trial;
            var started = DateTime.UtcNow;
            using var process = Process.Start(ToolProcess.CreateStartInfo(["--root", _root, "migrate", "--from", _legacy]))!;
            var killed = await CrashTiming.KillWhenAsync(process, () =>
                CrashTiming.Count(Path.Combine(_root, "raw")) >= published && CrashTiming.StagingHolds(_root, started));
            Assert.True(killed, $"trial {trial}: the migration finished before its moment came");
            AssertEveryPublishedDayIsComplete(original);
        }

        var rerun = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _legacy);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        AssertEveryPublishedDayIsComplete(original);
        Assert.Equal(days, Directory.GetDirectories(Path.Combine(_root, "raw")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root, ".staging")));
    }

    private void AssertEveryPublishedDayIsComplete(SortedDictionary<string, string> original)
    {
        var raw = Path.Combine(_root, "raw");
        if (!Directory.Exists(raw))
        {
            return;
        }

        var now = Shell.HashTree(raw);
        foreach (var day in Directory.GetDirectories(raw).Select(Path.GetFileName))
        {
            foreach (var (path, hash) in original.Where(kv => kv.Key.StartsWith(day + "/", StringComparison.Ordinal)))
            {
                Assert.True(now.TryGetValue(path, out var copied) && copied == hash, $"raw/{path} is missing or differs in a published day");
            }

            Assert.True(File.Exists(Path.Combine(raw, day!, "download_manifest.json")), $"raw/{day} was published without its manifest");
        }
    }

    private async Task CreateLegacyAsync(long bytesPerDay)
    {
        foreach (var day in Days)
        {
            var directory = Path.Combine(_legacy, "kaggle_raw", day);
            await new KaggleStorage.Tool.Demo.SampleDataWriter(new System.IO.Abstractions.FileSystem())
                .WriteDayAsync(directory, KaggleStorage.Layout.PartitionDate.Parse(day), bytesPerDay, seed: 5);
        }

        Directory.CreateDirectory(Path.Combine(_legacy, "reports"));
        File.WriteAllText(Path.Combine(_legacy, "reports", $"weekly_{Days[2]}.html"), "<h1>שבועי</h1>");
        Directory.CreateDirectory(Path.Combine(_legacy, "metadata", "runs"));
        File.WriteAllText(Path.Combine(_legacy, "metadata", "runs", $"{Days[2]}.json"), "{\"rows\":1}");
    }
}
