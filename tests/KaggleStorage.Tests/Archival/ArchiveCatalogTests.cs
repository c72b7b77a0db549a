using KaggleStorage.Archival;
using KaggleStorage.Layout;

namespace KaggleStorage.Tests.Archival;

public sealed class ArchiveCatalogTests
{
    private readonly TestStore _store = new();

    [Fact]
    public void A_days_archive_in_the_file_system_store_sits_in_the_archive_area()
    {
        Assert.Equal("/data/kaggle/archive/20241026.tar.gz", _store.Archives.Describe(ArchiveNames.Archive(PartitionDate.Parse("20241026"))));
    }

    [Fact]
    public async Task Catalog_knows_archives_and_their_companions()
    {
        var fs = _store.FileSystem;
        fs.Directory.CreateDirectory("/data/kaggle/archive");
        fs.File.WriteAllText("/data/kaggle/archive/20241026.tar.gz", "x");
        fs.File.WriteAllText("/data/kaggle/archive/20241026.tar.gz.index.json", "{}");
        fs.File.WriteAllText("/data/kaggle/archive/20241027.tar.gz.index.json", "{}");
        fs.File.WriteAllText("/data/kaggle/archive/notes.txt", "x");
        fs.File.WriteAllText("/data/kaggle/archive/20241399.tar.gz", "x");

        var catalog = await ArchiveCatalog.ReadAsync(_store.Archives, CancellationToken.None);

        Assert.Equal(["20241026"], catalog.ArchivedDays.Select(d => d.ToString()));
        Assert.Equal(["20241026", "20241027"], catalog.DaysWithAnything.Select(d => d.ToString()));
        Assert.Equal(["/data/kaggle/archive/20241399.tar.gz", "/data/kaggle/archive/notes.txt"], catalog.UnknownEntries);
        Assert.Equal(["20241026"], (await _store.Archives.ListArchivedDaysAsync()).Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("20241026.tar.gz", true, true)]
    [InlineData("20241026.tar.gz.index.json", true, false)]
    [InlineData("20241026.tar.gz.index.json.next", true, false)]
    [InlineData("20241026.tgz", false, false)]
    [InlineData("20241332.tar.gz", false, false)]
    [InlineData("x20241026.tar.gz", false, false)]
    public void Names_give_their_day_and_whether_they_are_the_archive(string name, bool belongs, bool isArchive)
    {
        var parsed = ArchiveNames.TryParse(name, out var day, out var archive);

        Assert.Equal(belongs, parsed);
        Assert.Equal(isArchive, archive);
        if (belongs)
        {
            Assert.Equal("20241026", day.ToString());
        }
    }

    [Fact]
    public void Names_of_a_day_are_the_archive_and_files_that_start_with_its_name()
    {
        var day = PartitionDate.Parse("20241026");

        Assert.Equal("20241026.tar.gz", ArchiveNames.Archive(day));
        Assert.Equal("20241026.tar.gz.index.json", ArchiveNames.Index(day));
        Assert.Equal("20241026.tar.gz.index.json.next", ArchiveNames.PendingIndex(day));
    }
}
