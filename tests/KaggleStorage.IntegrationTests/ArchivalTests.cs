using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;
using SharpCompress.Readers;

namespace KaggleStorage.IntegrationTests;

public sealed class ArchivalTests : IDisposable
{
    private const string Day = "20241026";
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public ArchivalTests()
    {
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
    }

    private string ArchivePath => Path.Combine(_root, "archive", Day + ".tar.gz");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Gnu_tar_lists_our_entries_with_the_source_modes_and_times_and_extracts_identical_files()
    {
        await CreateDayAsync();
        var raw = Path.Combine(_root, "raw", Day);
        File.SetUnixFileMode(Path.Combine(raw, "price_full_file_victory.csv"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // In processed/: a raw day holds only what its download manifest lists.
        var processed = Path.Combine(_root, "processed", Day);
        File.WriteAllText(Path.Combine(processed, "run.sh"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(processed, "run.sh"), (UnixFileMode)0b111_101_101);
        File.SetLastWriteTimeUtc(Path.Combine(processed, "run.sh"), new DateTime(2024, 10, 26, 2, 0, 0, DateTimeKind.Utc));

        var archive = await ToolProcess.RunAsync("--root", _root, "archive", Day);
        var listing = await Shell.RunAsync("tar", "tvzf", ArchivePath, "--utc");
        var gzipTest = await Shell.RunAsync("gzip", "-t", ArchivePath);
        var extracted = _temp.Combine("gnu");
        Directory.CreateDirectory(extracted);
        var extract = await Shell.RunAsync("tar", "xzf", ArchivePath, "-C", extracted);

        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.Equal(0, gzipTest.ExitCode);
        Assert.Equal(0, extract.ExitCode);
        var lines = listing.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("drwxr-xr-x 0/0", StringComparison.Ordinal) && l.EndsWith($" raw/{Day}/", StringComparison.Ordinal));
        Assert.EndsWith($" processed/{Day}/", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("-rw------- 0/0", StringComparison.Ordinal) && l.EndsWith("price_full_file_victory.csv", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("-rwxr-xr-x 0/0", StringComparison.Ordinal) && l.Contains("2024-10-26 02:00", StringComparison.Ordinal) && l.EndsWith("run.sh", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("-rw-r--r-- 0/0", StringComparison.Ordinal) && l.EndsWith($"processed/{Day}/load_summary.json", StringComparison.Ordinal));
        var names = lines.Select(l => l[(l.LastIndexOf(' ') + 1)..]).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(Shell.HashTree(Path.Combine(_root, "raw", Day)), Shell.HashTree(Path.Combine(extracted, "raw", Day)));
        Assert.Equal(Shell.HashTree(Path.Combine(_root, "processed", Day)), Shell.HashTree(Path.Combine(extracted, "processed", Day)));
    }

    [Fact]
    public async Task Archive_is_within_two_percent_of_gnu_tar_czf_size()
    {
        await CreateDayAsync(bytes: 8 << 20);
        var gnu = _temp.Combine("gnu.tar.gz");

        var archive = await ToolProcess.RunAsync("--root", _root, "archive", Day);
        var tar = await Shell.RunAsync("tar", "czf", gnu, "-C", _root, $"raw/{Day}", $"processed/{Day}");

        Assert.True(archive.ExitCode == 0 && tar.ExitCode == 0, archive + tar.ToString());
        var ratio = (double)new FileInfo(ArchivePath).Length / new FileInfo(gnu).Length;
        Assert.InRange(ratio, 0.90, 1.02);
    }

    [Fact]
    public async Task Same_files_give_byte_identical_archives()
    {
        await CreateDayAsync();
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", Day)).ExitCode);
        var first = await File.ReadAllBytesAsync(ArchivePath);
        File.Delete(ArchivePath);
        File.Delete(ArchivePath + ".index.json");

        var second = await ToolProcess.RunAsync("--root", _root, "archive", Day);
        var again = await ToolProcess.RunAsync("--root", _root, "archive", Day);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(first, await File.ReadAllBytesAsync(ArchivePath));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already up to date", again.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Archive_reads_whole_with_the_bcl_and_sharpcompress()
    {
        await CreateDayAsync(bytes: 10 << 20);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", Day)).ExitCode);
        var expected = Shell.HashTree(_root)
            .Where(kv => kv.Key.StartsWith("raw", StringComparison.Ordinal) || kv.Key.StartsWith("processed", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

        var bcl = new Dictionary<string, string>();
        await using (var gzip = new GZipStream(File.OpenRead(ArchivePath), CompressionMode.Decompress))
        await using (var reader = new TarReader(gzip))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                if (entry.EntryType != TarEntryType.Directory)
                {
                    bcl[entry.Name] = Hash(entry.DataStream!);
                }
            }
        }

        var sharp = new Dictionary<string, string>();
        using (var stream = File.OpenRead(ArchivePath))
        using (var reader = ReaderFactory.OpenReader(stream))
        {
            while (reader.MoveToNextEntry())
            {
                if (!reader.Entry.IsDirectory)
                {
                    using var entryStream = reader.OpenEntryStream();
                    sharp[reader.Entry.Key!] = Hash(entryStream);
                }
            }
        }

        Assert.Equal(expected.OrderBy(kv => kv.Key), bcl.OrderBy(kv => kv.Key));
        Assert.Equal(expected.OrderBy(kv => kv.Key), sharp.OrderBy(kv => kv.Key));
    }

    [Theory]
    [InlineData("raw/{0} processed/{0}")]
    [InlineData("./raw/{0}")]
    public async Task Restores_an_archive_made_by_gnu_tar(string members)
    {
        await CreateDayAsync();
        var expected = Shell.HashTree(Path.Combine(_root, "raw", Day));
        Directory.CreateDirectory(Path.Combine(_root, "archive"));
        var tar = await Shell.RunAsync("tar", ["czf", ArchivePath, "-C", _root, .. string.Format(members, Day).Split(' ')]);
        Assert.Equal(0, tar.ExitCode);
        var target = _temp.Combine("restored");

        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--into", target);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(expected, Shell.HashTree(Path.Combine(target, "raw", Day)));
        Assert.Equal(
            File.GetLastWriteTimeUtc(Path.Combine(_root, "raw", Day, "price_full_file_shufersal.csv")).Ticks / TimeSpan.TicksPerSecond,
            File.GetLastWriteTimeUtc(Path.Combine(target, "raw", Day, "price_full_file_shufersal.csv")).Ticks / TimeSpan.TicksPerSecond);
        Assert.False(Directory.Exists(Path.Combine(target, ".staging")));
    }

    [Fact]
    public async Task Restore_into_the_root_puts_a_deleted_day_back_and_refuses_to_overwrite_without_force()
    {
        await CreateDayAsync();
        var before = Shell.HashTree(Path.Combine(_root, "raw", Day));
        var damaged = Path.Combine(_root, "raw", Day, "price_full_file_victory.csv");
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", Day)).ExitCode);

        var nothingToDo = await ToolProcess.RunAsync("--root", _root, "restore", Day);
        Directory.Delete(Path.Combine(_root, "raw", Day), recursive: true);
        var restored = await ToolProcess.RunAsync("--root", _root, "restore", Day);
        var afterRestore = Shell.HashTree(Path.Combine(_root, "raw", Day));
        File.WriteAllText(damaged, "damaged");
        var refused = await ToolProcess.RunAsync("--root", _root, "restore", Day);
        var stillDamaged = File.ReadAllText(damaged);
        var forced = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--force");

        Assert.True(nothingToDo.ExitCode == 0, nothingToDo.ToString());
        Assert.Contains("15 already present and identical", nothingToDo.StdOut, StringComparison.Ordinal);
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal(before, afterRestore);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("raw/20241026/price_full_file_victory.csv; restore with --force", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal("damaged", stillDamaged);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("1 replaced", forced.StdOut, StringComparison.Ordinal);
        Assert.Equal(before, Shell.HashTree(Path.Combine(_root, "raw", Day)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".staging")));
    }

    public static TheoryData<string> MaliciousKinds => ["parent", "absolute", "symlink-escape", "hardlink", "device", "fifo", "other-day"];

    [Theory]
    [MemberData(nameof(MaliciousKinds))]
    public async Task Malicious_archive_is_refused_whole_with_nothing_written(string kind)
    {
        Directory.CreateDirectory(Path.Combine(_root, "archive"));
        await WriteMaliciousArchiveAsync(ArchivePath, kind);
        var target = _temp.Combine("target");
        Directory.CreateDirectory(target);
        var outside = _temp.Combine("outside-marker");

        var intoTarget = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--into", target);
        var intoRoot = await ToolProcess.RunAsync("--root", _root, "restore", Day);

        Assert.Equal(1, intoTarget.ExitCode);
        Assert.Contains("refused", intoTarget.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, intoRoot.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
        Assert.False(Directory.Exists(Path.Combine(_root, "raw")));
        Assert.False(File.Exists(outside));
        Assert.False(File.Exists(Path.Combine(_temp.Path, "evil.txt")));
        Assert.False(File.Exists("/tmp/kaggle-storage-evil.txt"));
    }

    [Fact]
    public async Task Truncated_archive_is_reported_by_verify_and_restore_writes_nothing()
    {
        await CreateDayAsync(bytes: 4 << 20);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", Day)).ExitCode);
        var bytes = await File.ReadAllBytesAsync(ArchivePath);
        await File.WriteAllBytesAsync(ArchivePath, bytes[..(bytes.Length / 2)]);
        var target = _temp.Combine("target");

        var verify = await ToolProcess.RunAsync("--root", _root, "verify", Day, "--json");
        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--into", target);

        Assert.Equal(1, verify.ExitCode);
        using var report = JsonDocument.Parse(verify.StdOut);
        var problems = report.RootElement.GetProperty("days")[0].GetProperty("archive").GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.Contains(ArchivePath, StringComparison.Ordinal) && p.Contains("corrupt or truncated", StringComparison.Ordinal));
        Assert.Equal(1, restore.ExitCode);
        Assert.Contains(ArchivePath, restore.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(target, "raw")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(20)]
    public async Task Archive_cut_in_its_last_bytes_is_refused_although_gzipstream_reads_it_quietly(int cut)
    {
        await CreateDayAsync(bytes: 1 << 20);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", Day)).ExitCode);
        var bytes = await File.ReadAllBytesAsync(ArchivePath);
        await File.WriteAllBytesAsync(ArchivePath, bytes[..^cut]);
        var target = _temp.Combine("target");

        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--into", target);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("gzip trailer does not match", restore.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(target, "raw")));
    }

    [Fact]
    public async Task Verify_finds_a_live_file_that_no_longer_matches_its_archive()
    {
        await CreateDayAsync();
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", Day)).ExitCode);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "verify", Day)).ExitCode);
        var file = Path.Combine(_root, "processed", Day, "load_summary.json");
        var archivedTime = File.GetLastWriteTimeUtc(file);

        // Other bytes at the same time: damage, not a newer file.
        File.WriteAllText(file, "{\"schemaVersion\":2}");
        File.SetLastWriteTimeUtc(file, archivedTime);
        var damaged = await ToolProcess.RunAsync("--root", _root, "verify", Day);

        // Written later: the archive is stale, which is a state for the next archive run, not a failure.
        File.SetLastWriteTimeUtc(file, archivedTime.AddMinutes(5));
        var stale = await ToolProcess.RunAsync("--root", _root, "verify", Day);

        Assert.Equal(1, damaged.ExitCode);
        Assert.Contains($"processed/{Day}/load_summary.json: the live file differs from the archived copy", damaged.StdOut, StringComparison.Ordinal);
        Assert.True(stale.ExitCode == 0, stale.ToString());
        Assert.Contains($"stale: processed/{Day}/load_summary.json: the live file is newer than the archived copy", stale.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_writes_nothing_and_older_than_selects_only_old_unarchived_days()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var old = today.AddDays(-30).ToString("yyyyMMdd");
        var recent = today.AddDays(-2).ToString("yyyyMMdd");
        await SampleStore.WriteRawDayAsync(_root, old, 256 << 10);
        await SampleStore.WriteRawDayAsync(_root, recent, 256 << 10);
        var before = Shell.HashTree(_root);

        var dryRun = await ToolProcess.RunAsync("--root", _root, "archive", "--older-than", "7", "--dry-run");
        var after = Shell.HashTree(_root);
        var archiveAreaAfterDryRun = Directory.Exists(Path.Combine(_root, "archive"));
        var real = await ToolProcess.RunAsync("--root", _root, "archive", "--older-than", "7", "--json");

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains($"would archive {old}", dryRun.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(recent, dryRun.StdOut, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.False(archiveAreaAfterDryRun);
        Assert.True(real.ExitCode == 0, real.ToString());
        using var json = JsonDocument.Parse(real.StdOut);
        var outcome = Assert.Single(json.RootElement.GetProperty("outcomes").EnumerateArray());
        Assert.Equal(old, outcome.GetProperty("date").GetString());
        Assert.Equal("created", outcome.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(new[] { "archive" }, 2)]
    [InlineData(new[] { "archive", "--all", "20241026" }, 2)]
    [InlineData(new[] { "archive", "20241027" }, 2)]
    [InlineData(new[] { "archive", "20241399" }, 2)]
    [InlineData(new[] { "restore", "20241027" }, 2)]
    [InlineData(new[] { "verify", "20241027" }, 2)]
    public async Task Bad_selection_or_missing_day_is_bad_input(string[] arguments, int exitCode)
    {
        await CreateDayAsync(bytes: 64 << 10);

        var result = await ToolProcess.RunAsync(["--root", _root, .. arguments]);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("error:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Archive_while_the_store_is_locked_fails_with_the_holder()
    {
        await CreateDayAsync(bytes: 64 << 10);
        Directory.CreateDirectory(Path.Combine(_root, ".locks"));
        File.WriteAllText(
            Path.Combine(_root, ".locks", "store.lock"),
            $"{{\"host\":\"other-pod\",\"processId\":7,\"command\":\"prune\",\"acquiredAtUtc\":\"{DateTimeOffset.UtcNow:O}\",\"token\":\"x\"}}");

        var result = await ToolProcess.RunAsync("--root", _root, "archive", Day);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("locked by other-pod pid 7 (prune)", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(ArchivePath));
    }

    private async Task CreateDayAsync(long bytes = 2 << 20)
    {
        await SampleStore.WriteRawDayAsync(_root, Day, bytes);
        SampleStore.WriteProcessedDay(_root, Day);
    }

    private static string Hash(Stream stream) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));

    private static async Task WriteMaliciousArchiveAsync(string path, string kind)
    {
        await using var file = File.Create(path);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, $"raw/{Day}/"));
        await tar.WriteEntryAsync(Entry("raw/" + Day + "/fine.csv"));
        switch (kind)
        {
            case "parent":
                await tar.WriteEntryAsync(Entry($"raw/{Day}/../../../evil.txt"));
                break;
            case "absolute":
                await tar.WriteEntryAsync(Entry("/tmp/kaggle-storage-evil.txt"));
                break;
            case "symlink-escape":
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, $"raw/{Day}/link") { LinkName = "/tmp" });
                await tar.WriteEntryAsync(Entry($"raw/{Day}/link/kaggle-storage-evil.txt"));
                break;
            case "hardlink":
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.HardLink, $"raw/{Day}/passwd") { LinkName = "/etc/passwd" });
                break;
            case "device":
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.CharacterDevice, $"raw/{Day}/null") { DeviceMajor = 1, DeviceMinor = 3 });
                break;
            case "fifo":
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Fifo, $"raw/{Day}/pipe"));
                break;
            case "other-day":
                await tar.WriteEntryAsync(Entry("raw/20241027/sneaky.csv"));
                break;
        }

        static PaxTarEntry Entry(string name) =>
            new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("a,b\n1,2\n"u8.ToArray()) };
    }
}
