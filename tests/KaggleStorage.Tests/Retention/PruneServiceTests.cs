using System.IO.Abstractions.TestingHelpers;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Tests.Retention;

public sealed class PruneServiceTests
{
    private readonly TestStore _store;
    private readonly PruneService _prune;
    private readonly PartitionArchiver _archiver;

    public PruneServiceTests()
    {
        _store = new TestStore(retention: new RetentionOptions { KeepLast = 1 });
        _archiver = new PartitionArchiver(_store.Layout, _store.FileSystem, _store.Manifests, _store.Time, _store.Archives, _store.Verifier);
        var verifier = new ArchiveVerifier(_store.FileSystem, _store.Manifests, _archiver, _store.Archives);
        _prune = new PruneService(
            _store.Layout, _store.FileSystem, _store.Lock, _store.Planner, _archiver, verifier, _store.Archives, _store.Verifier, NullLogger<PruneService>.Instance);
    }

    [Fact]
    public async Task Day_past_retention_is_archived_verified_and_then_deleted()
    {
        await _store.AddRawPartitionAsync("20240701", ("prices.csv", "h\n1\n2\n"));
        await _store.AddRawPartitionAsync("20241026", ("prices.csv", "h\n1\n"));

        var result = await _prune.ExecuteAsync(await _prune.PlanAsync());

        Assert.Empty(result.Failures);
        Assert.Equal(new[] { PartitionDate.Parse("20240701") }, result.Archived);
        Assert.False(_store.FileSystem.Directory.Exists(_store.RawDay("20240701")));
        Assert.True(_store.FileSystem.File.Exists("/data/kaggle/archive/20240701.tar.gz"));
        Assert.True(_store.FileSystem.File.Exists("/data/kaggle/archive/20240701.tar.gz.index.json"));
        Assert.True(_store.FileSystem.Directory.Exists(_store.RawDay("20241026")));
    }

    [Fact]
    public async Task Day_whose_archive_cannot_be_written_is_kept_and_reported()
    {
        await _store.AddRawPartitionAsync("20240701", ("prices.csv", "h\n1\n2\n"));
        await _store.AddRawPartitionAsync("20241026", ("prices.csv", "h\n1\n"));
        // A file squatting on the staging folder's name makes writing the archive fail.
        _store.FileSystem.AddFile("/data/kaggle/.staging", new MockFileData("not a folder"));

        var result = await _prune.ExecuteAsync(await _prune.PlanAsync());

        var failure = Assert.Single(result.Failures);
        Assert.Equal(_store.RawDay("20240701"), failure.Item.Path);
        Assert.Contains("its data is kept", failure.Error, StringComparison.Ordinal);
        Assert.True(_store.FileSystem.File.Exists(_store.RawDay("20240701") + "/prices.csv"));
        Assert.Empty(result.Removed);
    }

    [Fact]
    public async Task A_raw_file_the_manifest_does_not_list_keeps_the_day_for_its_invalid_manifest()
    {
        await _store.AddRawPartitionAsync("20240701", ("prices.csv", "h\n1\n2\n"));
        await _store.AddRawPartitionAsync("20241026", ("prices.csv", "h\n1\n"));
        await using (var held = await _store.Lock.AcquireAsync("test", CancellationToken.None))
        {
            await _archiver.ArchiveAsync(held, PartitionDate.Parse("20240701"), force: false, progress: null, CancellationToken.None);
        }

        _store.FileSystem.File.WriteAllText(_store.RawDay("20240701") + "/late-arrival.csv", "h\n9\n");

        var result = await _prune.ExecuteAsync(await _prune.PlanAsync());

        Assert.Contains("download manifest of raw/20240701 is invalid", Assert.Single(result.Failures).Error, StringComparison.Ordinal);
        Assert.True(_store.FileSystem.File.Exists(_store.RawDay("20240701") + "/late-arrival.csv"));
    }

    [Fact]
    public async Task A_processed_day_written_after_its_archive_refreshes_the_archive_and_is_then_pruned()
    {
        await _store.AddRawPartitionAsync("20240701", ("prices.csv", "h\n1\n2\n"));
        await _store.AddRawPartitionAsync("20241026", ("prices.csv", "h\n1\n"));
        var day = PartitionDate.Parse("20240701");
        await using (var held = await _store.Lock.AcquireAsync("test", CancellationToken.None))
        {
            await _archiver.ArchiveAsync(held, day, force: false, progress: null, CancellationToken.None);
        }

        var processed = _store.Layout.GetDateDirectory(StorageArea.Processed, day);
        _store.FileSystem.Directory.CreateDirectory(processed);
        _store.FileSystem.File.WriteAllText(processed + "/load_summary.json", "{}");
        var newest = _store.Layout.GetDateDirectory(StorageArea.Processed, PartitionDate.Parse("20241026"));
        _store.FileSystem.Directory.CreateDirectory(newest);
        _store.FileSystem.File.WriteAllText(newest + "/load_summary.json", "{}");

        var result = await _prune.ExecuteAsync(await _prune.PlanAsync());

        Assert.Empty(result.Failures);
        Assert.Contains(day, result.Archived);
        Assert.False(_store.FileSystem.Directory.Exists(processed));
        Assert.False(_store.FileSystem.Directory.Exists(_store.RawDay("20240701")));
        var index = await _store.Manifests.ReadAsync<KaggleStorage.Archival.ArchiveIndex>(_store.Layout.Root + "/archive/20240701.tar.gz.index.json");
        Assert.Equal(["processed/20240701/load_summary.json", "raw/20240701/download_manifest.json", "raw/20240701/prices.csv"], index.Entries.Select(e => e.Path));
    }

    [Fact]
    public async Task Dry_run_changes_nothing()
    {
        await _store.AddRawPartitionAsync("20240701", ("prices.csv", "h\n1\n"));
        await _store.AddRawPartitionAsync("20241026", ("prices.csv", "h\n1\n"));
        var before = _store.FileSystem.AllPaths.Order(StringComparer.Ordinal).ToList();

        var plan = await _prune.PlanAsync();

        Assert.Single(plan.Removals);
        Assert.Equal(before, _store.FileSystem.AllPaths.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Archives_past_a_year_go_with_their_index_and_old_reports_go_too()
    {
        _store.FileSystem.AddFile("/data/kaggle/archive/20231001.tar.gz", new MockFileData("x"));
        _store.FileSystem.AddFile("/data/kaggle/archive/20231001.tar.gz.index.json", new MockFileData("{}"));
        _store.FileSystem.AddFile("/data/kaggle/archive/20241001.tar.gz", new MockFileData("x"));
        _store.FileSystem.AddFile("/data/kaggle/reports/weekly_20230901.html", new MockFileData("x"));
        _store.FileSystem.AddFile("/data/kaggle/reports/weekly_20241001.html", new MockFileData("x"));
        _store.FileSystem.AddFile("/data/kaggle/archive/keep-me.txt", new MockFileData("x"));

        var result = await _prune.ExecuteAsync(await _prune.PlanAsync());

        Assert.Empty(result.Failures);
        Assert.Equal(
            new[] { "/data/kaggle/archive/20241001.tar.gz", "/data/kaggle/archive/keep-me.txt", "/data/kaggle/reports/weekly_20241001.html" },
            _store.FileSystem.AllFiles.Where(f => !f.Contains("/.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Leftovers_of_an_interrupted_prune_are_finished_first()
    {
        _store.FileSystem.AddFile("/data/kaggle/.trash/abc-20240101/prices.csv", new MockFileData("x"));

        var result = await _prune.ExecuteAsync(await _prune.PlanAsync());

        Assert.Equal(1, result.LeftoversCleared);
        Assert.Empty(_store.FileSystem.Directory.GetFileSystemEntries("/data/kaggle/.trash"));
    }

    [Fact]
    public async Task Prune_takes_the_store_lock()
    {
        await using var held = await new KaggleStorage.Locking.StoreLock(
            _store.Layout, _store.FileSystem, _store.Time, Options.Create(_store.Options), NullLogger<KaggleStorage.Locking.StoreLock>.Instance)
            .AcquireAsync("archive", CancellationToken.None);

        var plan = await _prune.PlanAsync();

        await Assert.ThrowsAsync<KaggleStorage.Locking.StoreLockedException>(() => _prune.ExecuteAsync(plan));
    }

    [Fact]
    public async Task Execute_removes_only_what_the_given_plan_removes()
    {
        await _store.AddRawPartitionAsync("20240701", ("prices.csv", "h\n1\n"));
        await _store.AddRawPartitionAsync("20241026", ("prices.csv", "h\n1\n"));
        var plan = await _prune.PlanAsync();
        await _store.AddRawPartitionAsync("20240601", ("prices.csv", "h\n1\n"));

        var result = await _prune.ExecuteAsync(plan);

        Assert.Equal([PartitionDate.Parse("20240701")], result.Removed.Select(item => item.Date));
        Assert.True(_store.FileSystem.Directory.Exists(_store.RawDay("20240601")), "a day the caller's plan did not remove is left as it is");
        Assert.False(_store.FileSystem.Directory.Exists(_store.RawDay("20240701")));
    }
}
