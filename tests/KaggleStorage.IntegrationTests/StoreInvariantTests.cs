using System.Diagnostics;
using System.Globalization;
using System.Text;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// The store's promise on real folders: every regular file of a day (hidden ones too) is archived before prune
/// removes it, links and fifos in a day are refused without being followed or opened, an empty lock file does not
/// wedge the store, and what a killed run left in staging is shown and then removed.
/// </summary>
public sealed class StoreInvariantTests : IDisposable
{
    private static readonly Dictionary<string, string?> KeepNothingExtra = new()
    {
        ["KaggleStorage__Retention__KeepLast"] = "0",
    };

    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public StoreInvariantTests()
    {
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    private static string DaysAgo(int days) =>
        DateTime.UtcNow.Date.AddDays(-days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Hidden_file_of_a_day_is_archived_and_comes_back_after_prune()
    {
        var day = DaysAgo(120);
        await SampleStore.WriteRawDayAsync(_root, day, 64 << 10);

        // In processed/: a raw day holds only what its download manifest lists, and a hidden file counts as data.
        SampleStore.WriteProcessedDay(_root, day);
        var notes = Path.Combine(_root, "processed", day, ".notes");
        await File.WriteAllTextAsync(notes, "checked by hand\n");
        var before = Shell.HashTree(Path.Combine(_root, "processed", day));

        var prune = await ToolProcess.RunAsync(["--root", _root, "prune"], KeepNothingExtra);
        var listing = await Shell.RunAsync("tar", "tzf", Path.Combine(_root, "archive", day + ".tar.gz"));
        var gone = !Directory.Exists(Path.Combine(_root, "processed", day));
        var restore = await ToolProcess.RunAsync("--root", _root, "restore", day);

        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.Contains($"processed/{day}/.notes", listing.StdOut, StringComparison.Ordinal);
        Assert.True(gone, "prune kept the day");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(before, Shell.HashTree(Path.Combine(_root, "processed", day)));
    }

    [Fact]
    public async Task Fifo_in_a_day_fails_that_day_without_hanging_and_the_other_days_are_archived()
    {
        var (bad, good) = (DaysAgo(30), DaysAgo(29));
        await SampleStore.WriteRawDayAsync(_root, bad, 32 << 10);
        await SampleStore.WriteRawDayAsync(_root, good, 32 << 10);
        var fifo = Path.Combine(_root, "raw", bad, "incoming.csv");
        Assert.Equal(0, (await Shell.RunAsync("mkfifo", fifo)).ExitCode);

        var archive = await ToolProcess.RunAsync(["--root", _root, "archive", "--all"], timeout: TimeSpan.FromSeconds(60));
        var status = await ToolProcess.RunAsync("--root", _root, "status");

        Assert.Equal(1, archive.ExitCode);
        Assert.Contains(fifo, archive.StdOut + archive.StdErr, StringComparison.Ordinal);
        Assert.Contains("fifo", archive.StdOut + archive.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "archive", bad + ".tar.gz")));
        Assert.True(File.Exists(Path.Combine(_root, "archive", good + ".tar.gz")));
        Assert.Contains("INVALID", status.StdOut, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, ".locks", "store.lock")), "the lock was left held");
    }

    [Fact]
    public async Task Symlink_in_a_day_is_refused_by_archive_and_prune_and_never_followed()
    {
        var day = DaysAgo(120);
        await SampleStore.WriteRawDayAsync(_root, day, 32 << 10);
        var secret = _temp.Combine("outside-secret.txt");
        await File.WriteAllTextAsync(secret, "not part of the store");
        var link = Path.Combine(_root, "raw", day, "prices_link.csv");
        File.CreateSymbolicLink(link, secret);

        var archive = await ToolProcess.RunAsync("--root", _root, "archive", day);
        var prune = await ToolProcess.RunAsync(["--root", _root, "prune"], KeepNothingExtra);

        Assert.Equal(1, archive.ExitCode);
        Assert.Contains(link, archive.StdOut + archive.StdErr, StringComparison.Ordinal);
        Assert.Contains("symbolic link", archive.StdOut + archive.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, prune.ExitCode);
        Assert.True(Directory.Exists(Path.Combine(_root, "raw", day)), "prune deleted a day it could not archive");
        Assert.False(File.Exists(Path.Combine(_root, "archive", day + ".tar.gz")));
        Assert.Equal("not part of the store", await File.ReadAllTextAsync(secret));
    }

    [Fact]
    public async Task Migrate_refuses_a_legacy_day_holding_a_symlink_and_migrates_the_others()
    {
        var legacy = _temp.Combine("legacy", "data", "kaggle_raw");
        var (bad, good) = ("20241025", "20241026");
        foreach (var day in new[] { bad, good })
        {
            Directory.CreateDirectory(Path.Combine(legacy, day));
            await File.WriteAllTextAsync(Path.Combine(legacy, day, "prices.csv"), "h\n1\n");
        }

        File.CreateSymbolicLink(Path.Combine(legacy, bad, "etc"), "/etc");

        var dryRun = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", legacy, "--dry-run");
        var migrate = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", legacy);

        Assert.Equal(1, dryRun.ExitCode);
        Assert.Contains("REFUSED", dryRun.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, migrate.ExitCode);
        Assert.Contains("symbolic link", migrate.StdOut + migrate.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", bad)));
        Assert.True(File.Exists(Path.Combine(_root, "raw", good, "prices.csv")));
    }

    [Fact]
    public async Task Empty_lock_file_blocks_only_for_its_grace_and_status_never_calls_it_free()
    {
        await SampleStore.WriteRawDayAsync(_root, DaysAgo(10), 16 << 10);
        var lockFile = Path.Combine(_root, ".locks", "store.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        await File.WriteAllBytesAsync(lockFile, []);

        var fresh = await ToolProcess.RunAsync("--root", _root, "archive", "--all");
        var freshStatus = await ToolProcess.RunAsync("--root", _root, "status");
        File.SetLastWriteTimeUtc(lockFile, DateTime.UtcNow.AddMinutes(-5));
        var staleStatus = await ToolProcess.RunAsync("--root", _root, "status");
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", "--all");

        Assert.Equal(1, fresh.ExitCode);
        Assert.Contains("locked", fresh.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Lock: free", freshStatus.StdOut, StringComparison.Ordinal);
        Assert.Contains("Lock: stale", staleStatus.StdOut, StringComparison.Ordinal);
        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public async Task Killed_restore_leaves_staging_that_status_lists_and_the_next_mutating_command_removes()
    {
        var day = DaysAgo(20);
        await SampleStore.WriteRawDayAsync(_root, day, 48L << 20);
        var archived = await ToolProcess.RunAsync("--root", _root, "archive", day);
        Assert.True(archived.ExitCode == 0, archived.ToString());
        var original = Shell.HashTree(Path.Combine(_root, "raw", day));
        Directory.Delete(Path.Combine(_root, "raw", day), recursive: true);

        var staging = Path.Combine(_root, ".staging");
        var leftBehind = false;
        for (var trial = 0; trial < 6 && !leftBehind; trial++)
        {
            // Killed the moment the restore has begun writing into its staged folder.
            using var process = Process.Start(ToolProcess.CreateStartInfo(["--root", _root, "restore", day]))!;
            await CrashTiming.KillWhenAsync(process, () => Directory.Exists(staging)
                && Directory.EnumerateDirectories(staging, "*restore-*").Any(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any()));
            leftBehind = Directory.Exists(staging) && Directory.EnumerateFileSystemEntries(staging).Any();
            if (!leftBehind && Directory.Exists(Path.Combine(_root, "raw", day)))
            {
                // The restore finished before the kill: whole, never partial. Start over for the next trial.
                Assert.Equal(original, Shell.HashTree(Path.Combine(_root, "raw", day)));
                Directory.Delete(Path.Combine(_root, "raw", day), recursive: true);
            }
        }

        Assert.True(leftBehind, "no trial killed the restore while it was staging");
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", day)), "a killed restore published a partial day");
        var status = await ToolProcess.RunAsync("--root", _root, "status");
        var json = await ToolProcess.RunAsync("--root", _root, "status", "--json");
        var next = await ToolProcess.RunAsync("--root", _root, "restore", day);

        Assert.Contains("Left by interrupted runs", status.StdOut, StringComparison.Ordinal);
        Assert.Contains("restore-" + day, status.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"leftovers\"", json.StdOut, StringComparison.Ordinal);
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
        Assert.Equal(original, Shell.HashTree(Path.Combine(_root, "raw", day)));
    }

    [Fact]
    public async Task Prune_of_generated_trees_loses_no_byte_even_when_killed()
    {
        var random = new Random(20241027);
        var days = Enumerable.Range(0, 4).Select(i => DaysAgo(100 + i)).ToList();
        foreach (var day in days)
        {
            WriteRandomTree(Path.Combine(_root, "raw", day), random);
        }

        WriteRandomTree(Path.Combine(_root, "processed", days[0]), random);
        var before = Shell.HashTree(_root);

        // Each trial dies as soon as its run has made progress (a new archive, or a raw day gone), so every kill
        // lands inside the work and the three together cover archiving and deleting.
        var archives = Path.Combine(_root, "archive");
        var raw = Path.Combine(_root, "raw");
        for (var trial = 0; trial < 3; trial++)
        {
            var (archivedBefore, rawBefore) = (CrashTiming.Count(archives, "*.tar.gz"), CrashTiming.Count(raw));
            using var process = Process.Start(ToolProcess.CreateStartInfo(["--root", _root, "prune"], KeepNothingExtra))!;
            var killed = await CrashTiming.KillWhenAsync(process, () => CrashTiming.Count(archives, "*.tar.gz") > archivedBefore || CrashTiming.Count(raw) < rawBefore);
            Assert.True(killed, $"trial {trial}: prune finished before it made progress");
        }

        var finish = await ToolProcess.RunAsync(["--root", _root, "prune"], KeepNothingExtra);
        Assert.True(finish.ExitCode == 0, finish.ToString());
        Assert.All(days, day => Assert.False(Directory.Exists(Path.Combine(_root, "raw", day)), $"raw/{day} was kept"));

        var restored = _temp.Combine("restored");
        foreach (var day in days)
        {
            var restore = await ToolProcess.RunAsync("--root", _root, "restore", day, "--into", restored);
            Assert.True(restore.ExitCode == 0, restore.ToString());
        }

        Assert.Equal(before, Shell.HashTree(restored));
    }

    /// <summary>Hidden files, nested folders, Hebrew names, empty files and names longer than 100 bytes.</summary>
    private static void WriteRandomTree(string directory, Random random)
    {
        string[] names = ["prices.csv", ".notes", "מחירים_סופר.csv", "empty.csv", new string('n', 120) + ".csv", "promo file.csv"];
        string[] folders = [string.Empty, "sub", "sub/deeper", ".hidden-folder", "תיקייה"];
        for (var i = 0; i < 12; i++)
        {
            var folder = Path.Combine(directory, folders[random.Next(folders.Length)]);
            Directory.CreateDirectory(folder);
            var name = $"{i}_{names[random.Next(names.Length)]}";
            var size = name.Contains("empty", StringComparison.Ordinal) ? 0 : random.Next(1, 200_000);
            var content = new StringBuilder();
            while (content.Length < size)
            {
                content.Append(CultureInfo.InvariantCulture, $"{random.Next()},{random.NextDouble():F2},חלב\n");
            }

            File.WriteAllText(Path.Combine(folder, name), content.ToString(0, size == 0 ? 0 : Math.Min(size, content.Length)));
        }
    }
}
