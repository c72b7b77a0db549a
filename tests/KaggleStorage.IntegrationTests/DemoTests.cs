using System.Security.Cryptography;
using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

public sealed class DemoTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Demo_writes_partitions_whose_manifests_match_the_files()
    {
        var dir = _temp.Combine("demo");

        var result = await ToolProcess.RunAsync("demo", "--dir", dir, "--days", "3", "--mb-per-day", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        var days = Directory.GetDirectories(Path.Combine(dir, "raw")).Order(StringComparer.Ordinal).ToArray();
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var recent = Enumerable.Range(0, 3).Select(i => yesterday.AddDays(-i).ToString("yyyyMMdd")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(recent, days.Select(Path.GetFileName).TakeLast(3));
        foreach (var day in days)
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(day, "download_manifest.json")));
            Assert.Equal(Path.GetFileName(day), manifest.RootElement.GetProperty("partition").GetString());
            var listed = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
            var onDisk = Directory.GetFiles(day).Select(Path.GetFileName).Where(n => n != "download_manifest.json").Order(StringComparer.Ordinal);
            Assert.Equal(onDisk, listed.Select(f => f.GetProperty("name").GetString()));
            foreach (var file in listed)
            {
                var bytes = File.ReadAllBytes(Path.Combine(day, file.GetProperty("name").GetString()!));
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
                Assert.Equal(bytes.LongLength, file.GetProperty("sizeBytes").GetInt64());
                Assert.Equal(bytes.Count(b => b == (byte)'\n') - 1, file.GetProperty("rowCount").GetInt64());
            }
        }

        var totalBytes = days.TakeLast(3).SelectMany(Directory.GetFiles).Sum(f => new FileInfo(f).Length);
        Assert.InRange(totalBytes, 3 * 1024 * 1024, 4 * 1024 * 1024);
        Assert.Contains($"Manifests: {days.Length} valid, 0 missing, 0 invalid.", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("== 5. prune", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("copied and verified; journal metadata/migrations/", result.StdOut, StringComparison.Ordinal);
        // The legacy layout lives beside the store (a source may not overlap it) and is gone once migrated.
        Assert.False(Directory.Exists(Path.Combine(dir, "legacy")));
        Assert.Equal(["demo"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
        Assert.Contains($"-legacy-", result.StdOut, StringComparison.Ordinal);
        // The 120-day-old sample day is past raw retention but inside the archive window: archived and kept.
        Assert.True(File.Exists(Path.Combine(dir, "archive", Path.GetFileName(days[1]) + ".tar.gz")), "the 120-day-old day was not archived");
        Assert.False(Directory.Exists(Path.Combine(dir, ".staging")) && Directory.EnumerateFileSystemEntries(Path.Combine(dir, ".staging")).Any());
    }

    [Fact]
    public async Task Demo_is_deterministic_for_a_seed_and_a_second_run_in_its_folder_starts_over()
    {
        var first = _temp.Combine("first");
        var second = _temp.Combine("second");

        var a = await ToolProcess.RunAsync("demo", "--dir", first, "--days", "2", "--mb-per-day", "0.5", "--seed", "7");
        var b = await ToolProcess.RunAsync("demo", "--dir", second, "--days", "2", "--mb-per-day", "0.3", "--seed", "8");
        var again = await ToolProcess.RunAsync("demo", "--dir", second, "--days", "2", "--mb-per-day", "0.5", "--seed", "7");
        var verify = await ToolProcess.RunAsync("--root", second, "verify");

        Assert.True(a.ExitCode == 0 && b.ExitCode == 0 && again.ExitCode == 0, a + "\n" + b + "\n" + again);
        Assert.Contains("emptied first: an earlier demo built it", again.StdOut, StringComparison.Ordinal);
        Assert.Equal(HashCsvs(first), HashCsvs(second));
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task Demo_refuses_a_folder_it_did_not_make_and_touches_nothing_in_it()
    {
        var dir = _temp.Combine("precious");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "mine");

        var result = await ToolProcess.RunAsync("demo", "--dir", dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not made by the demo", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Demo_refuses_a_copy_of_a_demo_store_and_touches_nothing_in_it()
    {
        var built = _temp.Combine("built");
        var first = await ToolProcess.RunAsync("demo", "--dir", built, "--days", "1", "--mb-per-day", "0.1", "--skip-prune");
        Assert.True(first.ExitCode == 0, first.ToString());
        var copy = _temp.Combine("kept");
        var cp = await Shell.RunAsync("cp", "-a", built, copy);
        Assert.True(cp.ExitCode == 0, cp.ToString());
        var before = Shell.HashTree(copy);

        var result = await ToolProcess.RunAsync("demo", "--dir", copy, "--days", "1", "--mb-per-day", "0.1");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"made for '{built}'", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Shell.HashTree(copy));
    }

    [Fact]
    public async Task Demo_builds_in_the_root_given_on_the_command_line()
    {
        var root = _temp.Combine("rooted");
        var cwd = _temp.Combine("cwd");
        Directory.CreateDirectory(cwd);

        var result = await ToolProcess.RunAsync(
            ["--root", root, "demo", "--days", "1", "--mb-per-day", "0.1", "--skip-prune"], workingDirectory: cwd);
        var both = await ToolProcess.RunAsync("--root", root, "demo", "--dir", _temp.Combine("elsewhere"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(root, ".kaggle-storage-demo")), "no demo in the --root folder");
        Assert.NotEmpty(Directory.GetDirectories(Path.Combine(root, "raw")));
        Assert.Empty(Directory.GetFileSystemEntries(cwd));
        Assert.True(both.ExitCode == 2, both.ToString());
        Assert.Contains("name two folders", both.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("elsewhere")));
    }

    [Fact]
    public async Task Demo_rejects_a_non_positive_size_as_bad_usage()
    {
        var result = await ToolProcess.RunAsync("demo", "--dir", _temp.Combine("x"), "--mb-per-day", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--mb-per-day", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("x")));
    }

    private static string[] HashCsvs(string root) =>
        Directory.GetFiles(Path.Combine(root, "raw"), "*.csv", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(root, f) + ":" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))))
            .ToArray();
}
