using KaggleStorage.Status;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Tests.Layout;

public sealed class StoreStatusScannerTests
{
    private readonly TestStore _store = new();

    [Fact]
    public async Task Empty_root_is_reported_uninitialized_with_no_partitions()
    {
        var status = await _store.Scanner.ScanAsync();

        Assert.False(status.Initialized);
        Assert.Empty(status.Partitions);
        Assert.NotEmpty(status.Areas);
        Assert.All(status.Areas, area => Assert.False(area.Exists));
        Assert.Equal("free", status.Lock.State);
        Assert.Empty(status.Leftovers);
    }

    [Fact]
    public async Task Partitions_combine_raw_processed_and_archive_with_sizes_and_manifest_health()
    {
        await _store.Layout.InitializeAsync();
        await _store.AddRawPartitionAsync("20241024", ("a.csv", "h\n1\n"));
        _store.FileSystem.Directory.CreateDirectory(_store.RawDay("20241026"));
        _store.FileSystem.File.WriteAllText(_store.RawDay("20241026") + "/a.csv", "12345");
        _store.FileSystem.Directory.CreateDirectory("/data/kaggle/processed/20241024");
        _store.FileSystem.File.WriteAllText("/data/kaggle/processed/20241024/load_summary.json", "{}");
        _store.FileSystem.File.WriteAllText("/data/kaggle/archive/20241020.tar.gz", "0123456789");
        _store.FileSystem.File.WriteAllText("/data/kaggle/raw/stray.txt", "x");

        var status = await _store.Scanner.ScanAsync();

        Assert.True(status.Initialized);
        Assert.Equal(new[] { "20241020", "20241024", "20241026" }, status.Partitions.Select(p => p.Date.ToString()));
        var archivedOnly = status.Partitions[0];
        Assert.True(archivedOnly.Archived);
        Assert.False(archivedOnly.HasRaw);
        Assert.Equal(10, archivedOnly.ArchiveBytes);
        Assert.Null(archivedOnly.Manifest);
        var full = status.Partitions[1];
        Assert.True(full.HasRaw && full.HasProcessed);
        Assert.Equal(ManifestHealth.Valid, full.Manifest);
        Assert.Equal(4 + _store.FileSystem.FileInfo.New(_store.RawDay("20241024") + "/download_manifest.json").Length, full.RawBytes);
        Assert.Equal(2, full.ProcessedBytes);
        Assert.Equal(ManifestHealth.Missing, status.Partitions[2].Manifest);
        Assert.Equal(new[] { "20241021", "20241022", "20241023", "20241025" }, status.MissingDays.Select(d => d.ToString()));
        Assert.Equal(new[] { "/data/kaggle/raw/stray.txt" }, status.UnknownEntries);
        var raw = status.Areas.Single(a => a.Area == StorageArea.Raw);
        Assert.Equal(2, raw.PartitionCount);
        Assert.Equal(4, raw.FileCount);
    }

    [Fact]
    public async Task Status_shows_the_current_lock_holder()
    {
        await using var handle = await _store.Lock.AcquireAsync("archive", CancellationToken.None);

        var status = await _store.Scanner.ScanAsync();

        Assert.Equal("held", status.Lock.State);
        Assert.Contains("(archive) since", status.Lock.Holder, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_years_of_daily_partitions_are_all_reported()
    {
        var first = PartitionDate.Parse("20150101");
        for (var i = 0; i < 3650; i++)
        {
            var day = first.AddDays(i);
            if (i % 100 == 7)
            {
                continue;
            }

            _store.FileSystem.AddFile($"{_store.Layout.GetDateDirectory(StorageArea.Raw, day)}/a.csv", new System.IO.Abstractions.TestingHelpers.MockFileData("h\n1\n"));
        }

        var status = await _store.Scanner.ScanAsync();

        Assert.Equal(3650 - 37, status.Partitions.Count);
        Assert.Equal(37, status.MissingDays.Count);
        Assert.NotEmpty(status.Partitions);
        Assert.All(status.Partitions, p => Assert.Equal(ManifestHealth.Missing, p.Manifest));
        Assert.Equal((3650 - 37) * 4L, status.Areas.Single(a => a.Area == StorageArea.Raw).Bytes);
    }
}
