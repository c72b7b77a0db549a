using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary><c>restore --file</c>: a few files of an archived day into a folder, by name or root-relative path.</summary>
public sealed class RestoreFileTests : IDisposable
{
    private const string Day = "20241026";
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public RestoreFileTests()
    {
        _root = _temp.Combine("store");
        Directory.CreateDirectory(_root);
    }

    private string ArchivePath => Path.Combine(_root, "archive", Day + ".tar.gz");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Restores_only_the_named_files_byte_for_byte()
    {
        var (raw, processed) = await ArchiveDayAsync();
        var target = _temp.Combine("two");

        var restore = await ToolProcess.RunAsync(
            "--root", _root, "restore", Day, "--file", "price_full_file_victory.csv", "--file", $"processed/{Day}/load_summary.json", "--into", target);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("Restored 2 files", restore.StdOut, StringComparison.Ordinal);
        Assert.Equal(
            new[] { $"processed/{Day}/load_summary.json", $"raw/{Day}/price_full_file_victory.csv" },
            Shell.HashTree(target).Keys.ToArray());
        Assert.Equal(raw["price_full_file_victory.csv"], Shell.HashTree(Path.Combine(target, "raw", Day))["price_full_file_victory.csv"]);
        Assert.Equal(processed["load_summary.json"], Shell.HashTree(Path.Combine(target, "processed", Day))["load_summary.json"]);
        Assert.False(Directory.Exists(Path.Combine(target, ".staging")));
    }

    [Fact]
    public async Task A_file_the_archive_does_not_hold_is_exit_2_naming_it_and_nothing_is_restored()
    {
        await ArchiveDayAsync();
        var target = _temp.Combine("none");

        var restore = await ToolProcess.RunAsync(
            "--root", _root, "restore", Day, "--file", "price_full_file_victory.csv", "--file", "price_file_nobody.csv", "--into", target);

        Assert.Equal(2, restore.ExitCode);
        var line = Assert.Single(restore.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"raw/{Day}/price_file_nobody.csv is not in the archive of {Day}", line, StringComparison.Ordinal);
        Assert.Empty(Shell.HashTree(target));
    }

    [Fact]
    public async Task File_without_into_is_exit_2_and_leaves_the_store_as_it_was()
    {
        await ArchiveDayAsync();
        Directory.Delete(Path.Combine(_root, "raw", Day), recursive: true);

        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--file", "price_full_file_victory.csv");

        Assert.Equal(2, restore.ExitCode);
        Assert.Contains("--into", restore.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
    }

    [Theory]
    [InlineData("../price_full_file_victory.csv")]
    [InlineData("/etc/passwd")]
    public async Task A_name_that_is_not_a_file_of_a_day_is_exit_2(string name)
    {
        await ArchiveDayAsync();

        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--file", name, "--into", _temp.Combine("bad"));

        Assert.Equal(2, restore.ExitCode);
        Assert.Contains(name, restore.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("bad", "raw")));
    }

    [Fact]
    public async Task Restores_one_file_of_an_archive_made_by_gnu_tar_without_an_index()
    {
        await SampleStore.WriteRawDayAsync(_root, Day, 2 << 20);
        var expected = Shell.HashTree(Path.Combine(_root, "raw", Day));
        Directory.CreateDirectory(Path.Combine(_root, "archive"));
        Assert.Equal(0, (await Shell.RunAsync("tar", "czf", ArchivePath, "-C", _root, $"raw/{Day}")).ExitCode);
        var target = _temp.Combine("gnu");

        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--file", "price_full_file_shufersal.csv", "--into", target);
        var unknown = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--file", "nope.csv", "--into", _temp.Combine("unknown"));

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(expected["price_full_file_shufersal.csv"], Assert.Single(Shell.HashTree(Path.Combine(target, "raw", Day))).Value);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains($"raw/{Day}/nope.csv is not in the archive", unknown.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_tarfile_reads_every_file_of_our_archive()
    {
        var (raw, _) = await ArchiveDayAsync();
        var extracted = _temp.Combine("python");

        var python = await Shell.RunAsync(
            "python3", "-c", "import sys, tarfile; t = tarfile.open(sys.argv[1], 'r:gz'); t.extractall(sys.argv[2]); print(len(t.getmembers()))", ArchivePath, extracted);

        Assert.True(python.ExitCode == 0, python.ToString());
        Assert.Equal(raw, Shell.HashTree(Path.Combine(extracted, "raw", Day)));
    }

    private async Task<(SortedDictionary<string, string> Raw, SortedDictionary<string, string> Processed)> ArchiveDayAsync()
    {
        // Several blocks of 1 MiB, so the read-back inflates in parallel.
        await SampleStore.WriteRawDayAsync(_root, Day, 6 << 20);
        SampleStore.WriteProcessedDay(_root, Day);
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", Day);
        Assert.True(archive.ExitCode == 0, archive.ToString());
        return (Shell.HashTree(Path.Combine(_root, "raw", Day)), Shell.HashTree(Path.Combine(_root, "processed", Day)));
    }
}
