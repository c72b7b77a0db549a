using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// No source or target of a command may be the store, lie inside it or hold it, also not through a symbolic link:
/// a migration "from" the store finds every day identical and --delete-source then deletes the only copy, and a
/// rollback "to" the store plants a kaggle_raw/ tree in it.
/// </summary>
public sealed class StoreOverlapTests : IDisposable
{
    private static readonly string[] Days = ["20241024", "20241025"];
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public StoreOverlapTests()
    {
        _root = _temp.Combine("store");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Migrate_from_the_stores_raw_area_is_refused_and_delete_source_deletes_nothing()
    {
        await CreateStoreAsync();
        var before = Shell.HashTree(_root);
        var raw = Path.Combine(_root, "raw");

        var run = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", raw, "--delete-source");
        var dryRun = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", raw, "--dry-run", "--delete-source");

        AssertRefused(run, raw, $"{raw} is inside the store");
        AssertRefused(dryRun, raw, $"{raw} is inside the store");
        Assert.Equal(before, Shell.HashTree(_root));
        Assert.Equal(Days, Directory.GetDirectories(raw).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Migrate_from_a_legacy_folder_whose_kaggle_raw_links_to_the_stores_raw_area_is_refused()
    {
        await CreateStoreAsync();
        var before = Shell.HashTree(_root);
        var legacy = _temp.Combine("jobs", "fetch-kaggle", "data");
        Directory.CreateDirectory(legacy);
        Directory.CreateSymbolicLink(Path.Combine(legacy, "kaggle_raw"), Path.Combine(_root, "raw"));

        var run = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", legacy, "--delete-source");
        var viaLink = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", Path.Combine(legacy, "kaggle_raw"), "--delete-source");
        var dryRun = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", legacy, "--dry-run");

        AssertRefused(run, legacy, $"{Path.Combine(legacy, "kaggle_raw")} resolves to {Path.Combine(_root, "raw")}, inside the store");
        AssertRefused(viaLink, Path.Combine(legacy, "kaggle_raw"), $"resolves to {Path.Combine(_root, "raw")}, inside the store");
        AssertRefused(dryRun, legacy, "inside the store");
        Assert.Equal(before, Shell.HashTree(_root));
    }

    [Fact]
    public async Task Migrate_refuses_a_legacy_day_that_links_to_a_day_of_the_store()
    {
        await CreateStoreAsync();
        var before = Shell.HashTree(_root);
        var legacy = _temp.Combine("data");
        var legacyDay = Path.Combine(legacy, "kaggle_raw", "20241023");
        await new KaggleStorage.Tool.Demo.SampleDataWriter(new System.IO.Abstractions.FileSystem())
            .WriteDayAsync(legacyDay, KaggleStorage.Layout.PartitionDate.Parse("20241023"), 64 << 10, seed: 3);
        var link = Path.Combine(legacy, "kaggle_raw", Days[0]);
        Directory.CreateSymbolicLink(link, Path.Combine(_root, "raw", Days[0]));
        var legacyBefore = Shell.HashTree(legacyDay);

        var run = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", legacy, "--delete-source");

        AssertRefused(run, legacy, $"{link} resolves to {Path.Combine(_root, "raw", Days[0])}, inside the store");
        Assert.Equal(before, Shell.HashTree(_root));
        Assert.Equal(legacyBefore, Shell.HashTree(legacyDay));
    }

    [Fact]
    public async Task Rollback_to_the_store_or_through_a_link_into_it_is_refused_and_writes_nothing()
    {
        await CreateStoreAsync();
        var before = Shell.HashTree(_root);
        var legacy = _temp.Combine("legacy-data");
        Directory.CreateDirectory(legacy);
        Directory.CreateSymbolicLink(Path.Combine(legacy, "kaggle_raw"), Path.Combine(_root, "raw"));

        var intoRoot = await ToolProcess.RunAsync("--root", _root, "rollback", "--to", _root);
        var intoRootDry = await ToolProcess.RunAsync("--root", _root, "rollback", "--to", _root, "--dry-run");
        var intoArea = await ToolProcess.RunAsync("--root", _root, "rollback", "--to", Path.Combine(_root, "metadata"));
        var throughLink = await ToolProcess.RunAsync("--root", _root, "rollback", "--to", legacy);

        AssertRefused(intoRoot, _root, $"{_root} is the store itself");
        AssertRefused(intoRootDry, _root, $"{_root} is the store itself");
        AssertRefused(intoArea, Path.Combine(_root, "metadata"), "inside the store");
        AssertRefused(throughLink, legacy, $"{Path.Combine(legacy, "kaggle_raw")} resolves to {Path.Combine(_root, "raw")}, inside the store");
        Assert.Equal(before, Shell.HashTree(_root));
        Assert.False(Directory.Exists(Path.Combine(_root, "kaggle_raw")));
        Assert.False(Directory.Exists(Path.Combine(_root, "metadata", "kaggle_raw")));
    }

    [Fact]
    public async Task Restore_into_the_store_a_folder_in_it_or_one_holding_it_is_refused_and_outside_it_works()
    {
        await CreateStoreAsync();
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", Days[0]);
        Assert.True(archive.ExitCode == 0, archive.ToString());
        var before = Shell.HashTree(_root);
        var linked = _temp.Combine("linked");
        Directory.CreateDirectory(linked);
        Directory.CreateSymbolicLink(Path.Combine(linked, "raw"), Path.Combine(_root, "raw"));
        var outside = _temp.Combine("elsewhere");

        var intoRoot = await ToolProcess.RunAsync("--root", _root, "restore", Days[0], "--into", _root, "--force");
        var intoArea = await ToolProcess.RunAsync("--root", _root, "restore", Days[0], "--into", Path.Combine(_root, "processed"));
        var intoParent = await ToolProcess.RunAsync("--root", _root, "restore", Days[0], "--into", _temp.Path);
        var throughLink = await ToolProcess.RunAsync("--root", _root, "restore", Days[0], "--into", linked, "--force");
        var toOutside = await ToolProcess.RunAsync("--root", _root, "restore", Days[0], "--into", outside);
        var inPlace = await ToolProcess.RunAsync("--root", _root, "restore", Days[0]);

        AssertRefused(intoRoot, _root, $"{_root} is the store itself");
        AssertRefused(intoArea, Path.Combine(_root, "processed"), "inside the store");
        AssertRefused(intoParent, _temp.Path, $"{_temp.Path} is a folder that holds the store");
        AssertRefused(throughLink, linked, $"{Path.Combine(linked, "raw")} resolves to {Path.Combine(_root, "raw")}, inside the store");
        Assert.True(toOutside.ExitCode == 0, toOutside.ToString());
        Assert.True(inPlace.ExitCode == 0, inPlace.ToString());
        Assert.Equal(
            Shell.HashTree(Path.Combine(_root, "raw", Days[0])),
            Shell.HashTree(Path.Combine(outside, "raw", Days[0])));
        Assert.Equal(before, Shell.HashTree(_root));
    }

    private static void AssertRefused(ToolResult result, string path, string detail)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($" {path} overlaps the store ", line, StringComparison.Ordinal);
        Assert.Contains(detail, line, StringComparison.Ordinal);
    }

    private async Task CreateStoreAsync()
    {
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "init")).ExitCode);
        foreach (var day in Days)
        {
            await SampleStore.WriteRawDayAsync(_root, day, 64 << 10);
        }
    }
}
