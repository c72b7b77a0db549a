using KaggleStorage.Layout;

namespace KaggleStorage.Tests.Layout;

public sealed class StorageLayoutTests
{
    private readonly TestStore _store = new();

    [Fact]
    public void Date_directories_sit_under_their_areas()
    {
        var date = PartitionDate.Parse("20241026");

        Assert.Equal("/data/kaggle/raw/20241026", _store.Layout.GetDateDirectory(StorageArea.Raw, date));
        Assert.Equal("/data/kaggle/processed/20241026", _store.Layout.GetDateDirectory(StorageArea.Processed, date));
        Assert.Equal("/data/kaggle/reports", _store.Layout.GetAreaPath(StorageArea.Reports));
        Assert.Equal("/data/kaggle/.staging", _store.Layout.StagingDirectory);
    }

    [Theory]
    [InlineData(StorageArea.Reports)]
    [InlineData(StorageArea.Metadata)]
    [InlineData(StorageArea.Archive)]
    public void Date_directory_of_an_unpartitioned_area_is_an_argument_error(StorageArea area)
    {
        var exception = Assert.Throws<ArgumentException>(() => _store.Layout.GetDateDirectory(area, PartitionDate.Parse("20241026")));

        Assert.Contains(area.GetFolderName(), exception.Message, StringComparison.Ordinal);
        Assert.Contains("only raw and processed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_separator_of_the_root_is_ignored()
    {
        var layout = new StorageLayout(
            Microsoft.Extensions.Options.Options.Create(new KaggleStorageOptions { Root = "/data/kaggle/" }), _store.FileSystem);

        Assert.Equal("/data/kaggle/raw", layout.GetAreaPath(StorageArea.Raw));
    }

    [Fact]
    public async Task Initialize_creates_missing_areas_and_reports_only_those()
    {
        _store.FileSystem.Directory.CreateDirectory("/data/kaggle/raw");

        var first = await _store.Layout.InitializeAsync();
        var second = await _store.Layout.InitializeAsync();

        Assert.Equal(
            new[] { StorageArea.Processed, StorageArea.Reports, StorageArea.Metadata, StorageArea.Archive },
            first);
        Assert.Empty(second);
        Assert.All(StorageAreas.All, area => Assert.True(_store.FileSystem.Directory.Exists(_store.Layout.GetAreaPath(area))));
    }

    [Fact]
    public void Listing_reports_dates_in_order_and_other_entries_as_unknown()
    {
        var fs = _store.FileSystem;
        fs.Directory.CreateDirectory("/data/kaggle/raw/20241027");
        fs.Directory.CreateDirectory("/data/kaggle/raw/20241026");
        fs.Directory.CreateDirectory("/data/kaggle/raw/20241332");
        fs.Directory.CreateDirectory("/data/kaggle/raw/backup");
        fs.File.WriteAllText("/data/kaggle/raw/20241025", "a file, not a partition");
        fs.Directory.CreateDirectory("/data/kaggle/raw/.hidden-staging");

        var listing = _store.Layout.ListPartitions(StorageArea.Raw);

        Assert.Equal(new[] { "20241026", "20241027" }, listing.Dates.Select(d => d.ToString()));
        Assert.Equal(
            new[] { "/data/kaggle/raw/20241025", "/data/kaggle/raw/20241332", "/data/kaggle/raw/backup" },
            listing.UnknownEntries);
    }

    [Theory]
    [InlineData(StorageArea.Archive)]
    [InlineData(StorageArea.Reports)]
    public void Listing_an_area_without_date_folders_is_an_argument_error(StorageArea area)
    {
        // Archived days are the archive store's to list: a listing of archive/ would miss every archive in a bucket.
        var exception = Assert.Throws<ArgumentException>(() => _store.Layout.ListPartitions(area));

        Assert.Contains("only raw and processed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listing_a_missing_area_is_empty()
    {
        var listing = _store.Layout.ListPartitions(StorageArea.Processed);

        Assert.Empty(listing.Dates);
        Assert.Empty(listing.UnknownEntries);
    }

    [Theory]
    [InlineData("raw", StorageArea.Raw)]
    [InlineData("Processed", StorageArea.Processed)]
    [InlineData("ARCHIVE", StorageArea.Archive)]
    public void Area_names_parse_case_insensitively(string name, StorageArea expected) =>
        Assert.Equal(expected, StorageAreas.Parse(name));

    [Fact]
    public void Unknown_area_name_lists_the_valid_ones()
    {
        var exception = Assert.Throws<FormatException>(() => StorageAreas.Parse("raws"));

        Assert.Contains("'raws'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("raw, processed, reports, metadata, archive", exception.Message, StringComparison.Ordinal);
    }
}
