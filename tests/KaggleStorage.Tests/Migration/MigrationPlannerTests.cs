using System.IO.Abstractions.TestingHelpers;
using KaggleStorage.Errors;
using KaggleStorage.Layout;
using KaggleStorage.Migration;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Tests.Migration;

public sealed class MigrationPlannerTests
{
    private const string Legacy = "/srv/jobs/fetch-kaggle/data";
    private readonly TestStore _store = new();
    private readonly MigrationService _migration;

    public MigrationPlannerTests()
    {
        _migration = new MigrationService(
            _store.Layout, _store.FileSystem, _store.Lock, _store.Fingerprinter, _store.Manifests, _store.Time, Options.Create(_store.Options), Options.Create(_store.Retention));
    }

    [Fact]
    public void Data_folder_and_kaggle_raw_folder_are_both_recognized()
    {
        Add($"{Legacy}/kaggle_raw/20241026/a.csv", "h\n1\n");
        Add($"{Legacy}/reports/r.html", "x");
        var detector = new LegacySourceDetector(_store.FileSystem);

        var fromData = detector.Detect(Legacy);
        var fromRaw = detector.Detect($"{Legacy}/kaggle_raw");

        Assert.Equal(new LegacySource($"{Legacy}/kaggle_raw", $"{Legacy}/reports", null), fromData);
        Assert.Equal(new LegacySource($"{Legacy}/kaggle_raw", null, null), fromRaw);
    }

    [Fact]
    public void Anything_else_is_bad_input_that_says_what_was_expected()
    {
        Add("/srv/other/readme.txt", "x");
        var detector = new LegacySourceDetector(_store.FileSystem);

        var wrong = Assert.Throws<StorageInputException>(() => detector.Detect("/srv/other"));
        var missing = Assert.Throws<StorageInputException>(() => detector.Detect("/srv/nowhere"));

        Assert.Contains("expected the job's data folder (holding kaggle_raw/", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("'/srv/nowhere' does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_days_are_copied_and_strays_are_listed()
    {
        Add($"{Legacy}/kaggle_raw/20241026/a.csv", "h\n1\n");
        Add($"{Legacy}/kaggle_raw/20241026/sub/b.csv", "h\n22\n");
        Add($"{Legacy}/kaggle_raw/notes.txt", "x");
        _store.FileSystem.Directory.CreateDirectory($"{Legacy}/kaggle_raw/20241332");

        var plan = await _migration.PlanAsync(Legacy);

        var day = Assert.Single(plan.Partitions);
        Assert.Equal(MigrationAction.Copy, day.Action);
        Assert.Equal(new[] { "a.csv", "sub/b.csv" }, day.Files.Select(f => f.Name));
        Assert.False(day.HasManifest);
        Assert.Equal(2, plan.FilesToCopy);
        Assert.Equal(9, plan.BytesToCopy);
        Assert.Equal(
            new[]
            {
                new SkippedEntry($"{Legacy}/kaggle_raw/20241332", "a folder whose name is not a YYYYMMDD day"),
                new SkippedEntry($"{Legacy}/kaggle_raw/notes.txt", "a file, not a day folder"),
            },
            plan.Strays);
    }

    [Fact]
    public async Task Identical_day_is_skipped_even_with_the_manifest_migration_wrote()
    {
        Add($"{Legacy}/kaggle_raw/20241026/a.csv", "h\n1\n");
        Add("/data/kaggle/raw/20241026/a.csv", "h\n1\n");
        Add("/data/kaggle/raw/20241026/download_manifest.json", "{}");

        var plan = await _migration.PlanAsync(Legacy);

        Assert.Equal(MigrationAction.Skip, Assert.Single(plan.Partitions).Action);
        Assert.True(plan.NothingToDo);
    }

    [Theory]
    [InlineData("h\n2\n", "same size, other content")]
    [InlineData("h\n22\n", "destination has 5 bytes, source 4")]
    public async Task Day_that_differs_at_the_destination_is_a_conflict(string destination, string reason)
    {
        Add($"{Legacy}/kaggle_raw/20241026/a.csv", "h\n1\n");
        Add("/data/kaggle/raw/20241026/a.csv", destination);

        var plan = await _migration.PlanAsync(Legacy);

        var day = Assert.Single(plan.Partitions);
        Assert.Equal(MigrationAction.Conflict, day.Action);
        Assert.Contains(reason, Assert.Single(day.Files).Reason, StringComparison.Ordinal);
        Assert.Equal(1, plan.Conflicts);
    }

    [Fact]
    public async Task Extra_file_at_the_destination_is_a_conflict()
    {
        Add($"{Legacy}/kaggle_raw/20241026/a.csv", "h\n1\n");
        Add("/data/kaggle/raw/20241026/a.csv", "h\n1\n");
        Add("/data/kaggle/raw/20241026/other.csv", "h\n");

        var plan = await _migration.PlanAsync(Legacy);

        Assert.Equal(MigrationAction.Conflict, Assert.Single(plan.Partitions).Action);
    }

    [Fact]
    public async Task Reports_and_metadata_files_are_planned_one_by_one()
    {
        Add($"{Legacy}/kaggle_raw/20241026/a.csv", "h\n1\n");
        Add($"{Legacy}/reports/weekly.html", "new");
        Add($"{Legacy}/metadata/run.json", "{}");
        Add("/data/kaggle/metadata/run.json", "{ }");

        var plan = await _migration.PlanAsync(Legacy);

        Assert.Equal(
            new[] { ("reports", MigrationAction.Copy), ("metadata", MigrationAction.Conflict) },
            plan.AreaFiles.Select(f => (f.Area.GetFolderName(), f.File.Action)));
        Assert.Equal("/data/kaggle/reports/weekly.html", plan.AreaFiles[0].Destination);
    }

    private void Add(string path, string content) => _store.FileSystem.AddFile(path, new MockFileData(content));
}
