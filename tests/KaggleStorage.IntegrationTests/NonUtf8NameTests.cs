using System.Globalization;
using System.Text;
using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// Names are bytes: a file named with bytes that are not UTF-8 (a cp1255 Hebrew name from an old job) is a problem
/// of its day for every command — named with its bytes escaped, never archived without it, never deleted, never
/// wedging <c>.trash</c>. .NET cannot create such a name, so python writes it by its bytes.
/// </summary>
public sealed class NonUtf8NameTests : IDisposable
{
    // "אבג.csv" in cp1255: not UTF-8.
    private static readonly byte[] Cp1255Name = [0xE0, 0xF8, 0xE6, (byte)'.', (byte)'c', (byte)'s', (byte)'v'];
    private const string Escaped = @"\xE0\xF8\xE6.csv";

    private static readonly Dictionary<string, string?> KeepNothingExtra = new()
    {
        ["KaggleStorage__Retention__KeepLast"] = "0",
    };

    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public NonUtf8NameTests()
    {
        _root = _temp.Combine("store");
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        // .NET's recursive delete cannot remove these names either.
        Shell.RunAsync("rm", "-rf", _temp.Path).GetAwaiter().GetResult();
        _temp.Dispose();
    }

    private static string DaysAgo(int days) =>
        DateTime.UtcNow.Date.AddDays(-days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static async Task WriteByBytesAsync(string directory, byte[] name, string content)
    {
        Directory.CreateDirectory(directory);
        var result = await Shell.RunAsync(
            "python3",
            "-c",
            "import os, sys\n"
            + "fd = os.open(os.fsencode(sys.argv[1]) + b'/' + bytes.fromhex(sys.argv[2]), os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)\n"
            + "os.write(fd, sys.argv[3].encode())\n"
            + "os.close(fd)\n",
            directory,
            Convert.ToHexString(name),
            content);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>
    /// Every file under a folder as the disk holds it: one line per file, its relative path's bytes in hex and the
    /// SHA-256 of its content; empty when the folder is gone.
    /// </summary>
    private static async Task<List<string>> ListTreeAsync(string directory)
    {
        var result = await Shell.RunAsync(
            "python3",
            "-c",
            "import hashlib, os, sys\n"
            + "root = os.fsencode(sys.argv[1])\n"
            + "lines = []\n"
            + "for folder, _, files in os.walk(root):\n"
            + "    for name in files:\n"
            + "        path = os.path.join(folder, name)\n"
            + "        lines.append(os.path.relpath(path, root).hex() + ' ' + hashlib.sha256(open(path, 'rb').read()).hexdigest())\n"
            + "print('\\n'.join(sorted(lines)))\n",
            directory);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    // .NET lists a name that is not UTF-8 under a decoded name, which is enough to count it.
    private static string[] EntriesOf(string directory) =>
        Directory.Exists(directory) ? Directory.GetFileSystemEntries(directory) : [];

    private static string Hex(byte[] name) => Convert.ToHexStringLower(name);

    [Fact]
    public async Task Verify_fails_a_raw_day_holding_a_name_that_is_not_utf8_and_names_it_escaped()
    {
        var (bad, good) = (DaysAgo(5), DaysAgo(4));
        await SampleStore.WriteRawDayAsync(_root, bad, 16 << 10);
        await SampleStore.WriteRawDayAsync(_root, good, 16 << 10);
        await WriteByBytesAsync(Path.Combine(_root, "raw", bad), Cp1255Name, "store_id,price\n1,2\n");

        var verify = await ToolProcess.RunAsync("--root", _root, "verify");
        var one = await ToolProcess.RunAsync("--root", _root, "verify", good);

        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains($"raw/{bad}/{Escaped}", verify.StdOut + verify.StdErr, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", verify.StdOut + verify.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("\uFFFD", verify.StdOut + verify.StdErr, StringComparison.Ordinal);
        Assert.True(one.ExitCode == 0, one.ToString());
    }

    [Fact]
    public async Task Archive_refuses_a_day_holding_a_name_that_is_not_utf8_and_archives_the_other_days()
    {
        var (bad, good) = (DaysAgo(30), DaysAgo(29));
        await SampleStore.WriteRawDayAsync(_root, bad, 16 << 10);
        await SampleStore.WriteRawDayAsync(_root, good, 16 << 10);
        SampleStore.WriteProcessedDay(_root, bad);
        await WriteByBytesAsync(Path.Combine(_root, "processed", bad, "late"), Cp1255Name, "x\n");

        var archive = await ToolProcess.RunAsync("--root", _root, "archive", "--all");

        Assert.True(archive.ExitCode == 1, archive.ToString());
        Assert.Contains($"processed/{bad}/late/{Escaped}", archive.StdOut + archive.StdErr, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", archive.StdOut + archive.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "archive", bad + ".tar.gz")), "a day was archived without one of its files");
        Assert.True(File.Exists(Path.Combine(_root, "archive", good + ".tar.gz")), archive.ToString());
        Assert.False(File.Exists(Path.Combine(_root, ".locks", "store.lock")), "the lock was left held");
    }

    [Fact]
    public async Task Prune_keeps_a_day_holding_a_name_that_is_not_utf8_whole_and_the_store_stays_usable()
    {
        var (bad, good) = (DaysAgo(120), DaysAgo(119));
        await SampleStore.WriteRawDayAsync(_root, bad, 16 << 10);
        await SampleStore.WriteRawDayAsync(_root, good, 16 << 10);
        var badDay = Path.Combine(_root, "raw", bad);
        await WriteByBytesAsync(badDay, Cp1255Name, "store_id,price\n1,2\n");
        var before = await ListTreeAsync(badDay);

        var prune = await ToolProcess.RunAsync(["--root", _root, "prune"], KeepNothingExtra);
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", "--all");
        var status = await ToolProcess.RunAsync("--root", _root, "status");

        Assert.True(prune.ExitCode == 1, prune.ToString());
        Assert.Contains($"raw/{bad}/{Escaped}", prune.StdOut + prune.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, await ListTreeAsync(badDay));
        Assert.Contains(before, line => line.StartsWith(Hex(Cp1255Name) + " ", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", good)), "the other day was not pruned");
        Assert.Empty(EntriesOf(Path.Combine(_root, ".trash")));
        Assert.False(File.Exists(Path.Combine(_root, "archive", bad + ".tar.gz")));
        Assert.True(archive.ExitCode == 1, archive.ToString());
        Assert.DoesNotContain("locked", archive.StdErr, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.ToString());
    }

    [Fact]
    public async Task Prune_keeps_an_archived_day_whole_when_a_name_that_is_not_utf8_arrives_after_its_archive()
    {
        var day = DaysAgo(120);
        await SampleStore.WriteRawDayAsync(_root, day, 16 << 10);
        var archived = await ToolProcess.RunAsync("--root", _root, "archive", day);
        Assert.True(archived.ExitCode == 0, archived.ToString());
        var dayFolder = Path.Combine(_root, "raw", day);
        await WriteByBytesAsync(dayFolder, Cp1255Name, "late,file\n");
        var before = await ListTreeAsync(dayFolder);

        var prune = await ToolProcess.RunAsync(["--root", _root, "prune"], KeepNothingExtra);
        var next = await ToolProcess.RunAsync(["--root", _root, "prune"], KeepNothingExtra);

        Assert.True(prune.ExitCode == 1, prune.ToString());
        Assert.Contains(Escaped, prune.StdOut + prune.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, await ListTreeAsync(dayFolder));
        Assert.Empty(EntriesOf(Path.Combine(_root, ".trash")));
        Assert.True(next.ExitCode == 1, next.ToString());
        Assert.DoesNotContain("locked", next.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(".trash", next.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_never_deletes_names_that_are_not_utf8_past_the_archive_window_or_in_reports_and_metadata()
    {
        var old = DaysAgo(400);
        var day = Path.Combine(_root, "raw", old);
        await WriteByBytesAsync(day, Cp1255Name, "h\n1\n");
        await File.WriteAllTextAsync(Path.Combine(day, "prices.csv"), "h\n2\n");
        var reports = Path.Combine(_root, "reports");
        await WriteByBytesAsync(reports, [.. "old_"u8, 0xE0, 0xF8, .. "_20200101.html"u8], "<html/>");
        await File.WriteAllTextAsync(Path.Combine(reports, "report_20200101.html"), "<html/>");
        var metadata = Path.Combine(_root, "metadata");
        await WriteByBytesAsync(metadata, [.. "runs"u8, 0xFF], string.Empty);
        var before = await ListTreeAsync(_root);

        var status = await ToolProcess.RunAsync("--root", _root, "status");
        var dryRun = await ToolProcess.RunAsync(["--root", _root, "prune", "--dry-run"], KeepNothingExtra);
        var prune = await ToolProcess.RunAsync(["--root", _root, "prune"], KeepNothingExtra);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains(@"reports/old_\xE0\xF8_20200101.html", dryRun.StdOut + dryRun.StdErr, StringComparison.Ordinal);
        Assert.True(prune.ExitCode == 1, prune.ToString());
        Assert.Contains($"raw/{old}/{Escaped}", prune.StdOut + prune.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(reports, "report_20200101.html")), "the valid expired report was kept");
        var after = await ListTreeAsync(_root);
        Assert.Equal(before.Where(line => !line.StartsWith(Convert.ToHexStringLower("reports/report_20200101.html"u8), StringComparison.Ordinal)), after);
        Assert.Equal(2, after.Count(line => line.StartsWith(Convert.ToHexStringLower(Encoding.UTF8.GetBytes($"raw/{old}/")), StringComparison.Ordinal)));
        Assert.Single(EntriesOf(metadata));
    }

    [Fact]
    public async Task A_trashed_tree_holding_names_that_are_not_utf8_is_shown_by_status_and_finished_by_the_next_locked_command()
    {
        // What an earlier version's prune left: a half-deleted day in .trash that .NET could not empty.
        var day = DaysAgo(3);
        await SampleStore.WriteRawDayAsync(_root, day, 16 << 10);
        var trash = Path.Combine(_root, ".trash");
        await WriteByBytesAsync(Path.Combine(trash, "0123456789abcdef-20240101", "nested"), Cp1255Name, "x\n");
        await WriteByBytesAsync(trash, [0xFF, 0xFE], "y\n");

        var status = await ToolProcess.RunAsync("--root", _root, "status");
        var json = await ToolProcess.RunAsync("--root", _root, "status", "--json");
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", day);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Left by interrupted runs", status.StdOut, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        using (var document = JsonDocument.Parse(json.StdOut))
        {
            Assert.NotEmpty(document.RootElement.GetProperty("leftovers").EnumerateArray());
        }

        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.Empty(EntriesOf(trash));
    }

    [Fact]
    public async Task Verify_names_a_name_that_is_not_utf8_in_a_processed_day_that_has_no_archive()
    {
        var day = DaysAgo(0);
        await SampleStore.WriteRawDayAsync(_root, day, 16 << 10);
        SampleStore.WriteProcessedDay(_root, day);
        await WriteByBytesAsync(Path.Combine(_root, "processed", day), Cp1255Name, "{}");

        var all = await ToolProcess.RunAsync("--root", _root, "verify");
        var listed = await ToolProcess.RunAsync("--root", _root, "verify", day);

        Assert.True(all.ExitCode == 1, all.ToString());
        Assert.Contains($"processed/{day}/{Escaped}", all.StdOut, StringComparison.Ordinal);
        Assert.True(listed.ExitCode == 1, listed.ToString());
        Assert.Contains($"processed/{day}/{Escaped}", listed.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_lists_a_name_that_is_not_utf8_as_a_problem_of_its_day_in_text_and_json_and_the_check_fails()
    {
        var day = DaysAgo(0);
        await SampleStore.WriteRawDayAsync(_root, day, 16 << 10);
        var check = await ToolProcess.RunAsync("--root", _root, "status", "--check");
        Assert.True(check.ExitCode == 0, "the store must be healthy before the odd name arrives: " + check);
        SampleStore.WriteProcessedDay(_root, day);
        await WriteByBytesAsync(Path.Combine(_root, "raw", day), Cp1255Name, "a\n");
        await WriteByBytesAsync(Path.Combine(_root, "processed", day), [0x72, 0xE9, 0x73, 0x75, 0x6D, 0xE9, 0x2E, 0x6A, 0x73, 0x6F, 0x6E], "{}");

        var status = await ToolProcess.RunAsync("--root", _root, "status");
        var json = await ToolProcess.RunAsync("--root", _root, "status", "--json");
        check = await ToolProcess.RunAsync("--root", _root, "status", "--check");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"raw/{day}/{Escaped}", status.StdOut, StringComparison.Ordinal);
        Assert.Contains($@"processed/{day}/r\xE9sum\xE9.json", status.StdOut, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        using (var document = JsonDocument.Parse(json.StdOut))
        {
            var problems = document.RootElement.GetProperty("healthProblems").EnumerateArray().Select(problem => problem.GetString()!).ToList();
            Assert.Contains(problems, problem => problem.Contains($"raw/{day}/{Escaped}", StringComparison.Ordinal));
            Assert.Contains(problems, problem => problem.Contains($@"processed/{day}/r\xE9sum\xE9.json", StringComparison.Ordinal));
        }

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains(Escaped, check.StdOut + check.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_refuses_a_legacy_day_holding_a_name_that_is_not_utf8_and_keeps_it_whole_even_with_delete_source()
    {
        var legacy = _temp.Combine("legacy", "data", "kaggle_raw");
        var (bad, good) = ("20241025", "20241026");
        foreach (var day in new[] { bad, good })
        {
            Directory.CreateDirectory(Path.Combine(legacy, day));
            await File.WriteAllTextAsync(Path.Combine(legacy, day, "prices.csv"), "h\n1\n");
        }

        await WriteByBytesAsync(Path.Combine(legacy, bad), Cp1255Name, "h\n2\n");
        var before = await ListTreeAsync(Path.Combine(legacy, bad));

        var dryRun = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", legacy, "--dry-run");
        var migrate = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", legacy, "--delete-source", "--json");

        Assert.True(dryRun.ExitCode == 1, dryRun.ToString());
        Assert.Contains("REFUSED", dryRun.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{bad}/{Escaped}", dryRun.StdOut, StringComparison.Ordinal);
        Assert.True(migrate.ExitCode == 1, migrate.ToString());
        using (var document = JsonDocument.Parse(migrate.StdOut))
        {
            var outcomes = document.RootElement.GetProperty("outcomes");
            Assert.Equal("refused", outcomes.GetProperty(bad).GetString());
            Assert.Equal("copied", outcomes.GetProperty(good).GetString());
        }

        Assert.False(Directory.Exists(Path.Combine(_root, "raw", bad)), "a day was migrated without one of its files");
        Assert.Equal(before, await ListTreeAsync(Path.Combine(legacy, bad)));
        Assert.True(File.Exists(Path.Combine(_root, "raw", good, "prices.csv")));
        Assert.False(Directory.Exists(Path.Combine(legacy, good)), "--delete-source kept the day it copied");
    }
}
