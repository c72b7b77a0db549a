using System.Text.Json;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Tests.Manifests;

public sealed class ManifestStoreTests
{
    private const string Path = "/data/kaggle/raw/20241026/download_manifest.json";
    private readonly TestStore _store = new();

    [Fact]
    public async Task Download_manifest_round_trips_as_camel_case_json()
    {
        var manifest = new DownloadManifest
        {
            DatasetId = "erlichsefi/israeli-supermarkets-2024",
            DatasetVersion = "17",
            Partition = PartitionDate.Parse("20241026"),
            DownloadedAtUtc = new DateTimeOffset(2024, 10, 26, 2, 0, 5, TimeSpan.Zero),
            Source = "https://www.kaggle.com/api/v1/datasets/download/erlichsefi/israeli-supermarkets-2024",
            Files = [new ManifestFile("price_full_file_shufersal.csv", 1234, new string('a', 64), 10)],
        };

        await _store.Manifests.WriteAsync(Path, manifest);
        var read = await _store.Manifests.ReadAsync<DownloadManifest>(Path);

        Assert.Equal(manifest with { Files = read.Files }, read);
        Assert.Equal(manifest.Files, read.Files);
        using var json = JsonDocument.Parse(_store.FileSystem.File.ReadAllText(Path));
        Assert.Equal(1, json.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("20241026", json.RootElement.GetProperty("partition").GetString());
        Assert.Equal(1234, json.RootElement.GetProperty("files")[0].GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task A_document_written_into_a_staged_folder_appears_only_when_the_folder_is_published()
    {
        var day = PartitionDate.Parse("20241026");
        var target = _store.Layout.GetDateDirectory(StorageArea.Processed, day);
        var summary = new LoadSummary
        {
            Partition = day,
            StartedAtUtc = _store.Time.GetUtcNow(),
            CompletedAtUtc = _store.Time.GetUtcNow(),
            Status = LoadStatus.Succeeded,
            Files = [],
        };
        await _store.Layout.InitializeAsync();
        await using var held = await _store.Lock.AcquireAsync("test", CancellationToken.None);
        await using var staged = held.CreateStagedDirectory("test");

        await _store.Manifests.WriteStagedAsync(staged, LoadSummary.FileName, summary);

        Assert.False(_store.FileSystem.Directory.Exists(target));
        await staged.PublishAsync(target);
        var read = await _store.Manifests.ReadAsync<LoadSummary>(System.IO.Path.Combine(target, LoadSummary.FileName));
        Assert.Equal(summary.Partition, read.Partition);
        Assert.Equal(LoadStatus.Succeeded, read.Status);
    }

    [Fact]
    public async Task A_staged_document_named_with_a_folder_is_refused_before_anything_is_written()
    {
        await _store.Layout.InitializeAsync();
        await using var held = await _store.Lock.AcquireAsync("test", CancellationToken.None);
        await using var staged = held.CreateStagedDirectory("test");
        var summary = new LoadSummary
        {
            Partition = PartitionDate.Parse("20241026"),
            StartedAtUtc = _store.Time.GetUtcNow(),
            CompletedAtUtc = _store.Time.GetUtcNow(),
            Status = LoadStatus.Succeeded,
            Files = [],
        };

        await Assert.ThrowsAsync<ArgumentException>(() => _store.Manifests.WriteStagedAsync(staged, "../escaped.json", summary));

        Assert.Empty(_store.FileSystem.Directory.EnumerateFiles(TestStore.Root, "escaped.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Load_summary_and_validation_report_round_trip_with_string_statuses()
    {
        var summary = new LoadSummary
        {
            Partition = PartitionDate.Parse("20241026"),
            StartedAtUtc = _store.Time.GetUtcNow(),
            CompletedAtUtc = _store.Time.GetUtcNow().AddMinutes(3),
            Status = LoadStatus.PartiallySucceeded,
            Files = [new LoadedFile("a.csv", 10, 8, 2, LoadStatus.PartiallySucceeded), new LoadedFile("b.csv", 0, 0, 0, LoadStatus.Failed, "bad header")],
        };
        var report = new ValidationReport
        {
            Partition = PartitionDate.Parse("20241026"),
            CheckedAtUtc = _store.Time.GetUtcNow(),
            Status = CheckStatus.Warning,
            Checks = [new ValidationCheck("price-non-negative", CheckStatus.Warning, "2 negative prices", 2)],
        };

        await _store.Manifests.WriteAsync("/p/load_summary.json", summary);
        await _store.Manifests.WriteAsync("/p/validation_report.json", report);
        var readSummary = await _store.Manifests.ReadAsync<LoadSummary>("/p/load_summary.json");
        var readReport = await _store.Manifests.ReadAsync<ValidationReport>("/p/validation_report.json");

        Assert.Equal(summary.Files, readSummary.Files);
        Assert.Equal(summary.Status, readSummary.Status);
        Assert.Equal(report.Checks, readReport.Checks);
        Assert.Contains("\"status\": \"partiallySucceeded\"", _store.FileSystem.File.ReadAllText("/p/load_summary.json"), StringComparison.Ordinal);
        Assert.Contains("\"status\": \"warning\"", _store.FileSystem.File.ReadAllText("/p/validation_report.json"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", "line 1")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"datasetId\":\"a/b\"}", "'schemaVersion' is missing")]
    [InlineData("{\"schemaVersion\":\"1\"}", "'schemaVersion' is missing or not an integer")]
    [InlineData("{\"schemaVersion\":0}", "schema version 0 is not valid")]
    [InlineData("{\"schemaVersion\":1,\"datasetId\":\"a/b\"}", "missing required properties")]
    [InlineData("{\"schemaVersion\":1,\"datasetId\":\"a/b\",\"partition\":\"20241332\",\"downloadedAtUtc\":\"2024-10-26T00:00:00Z\",\"source\":\"x\",\"files\":[]}", "'20241332' is not a partition date")]
    public async Task Malformed_manifest_names_the_file_and_the_problem(string content, string problem)
    {
        _store.FileSystem.AddFile(Path, new System.IO.Abstractions.TestingHelpers.MockFileData(content));

        var exception = await Assert.ThrowsAsync<ManifestFormatException>(() => _store.Manifests.ReadAsync<DownloadManifest>(Path));

        Assert.Equal(Path, exception.FilePath);
        Assert.Contains(Path, exception.Message, StringComparison.Ordinal);
        Assert.Contains(problem, exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Newer_schema_version_is_refused_as_such()
    {
        _store.FileSystem.AddFile(Path, new System.IO.Abstractions.TestingHelpers.MockFileData("{\"schemaVersion\":2,\"somethingNew\":true}"));

        var exception = await Assert.ThrowsAsync<ManifestFormatException>(() => _store.Manifests.ReadAsync<DownloadManifest>(Path));

        Assert.Contains("schema version 2 is newer", exception.Message, StringComparison.Ordinal);
        Assert.Contains("up to 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_manifest_is_file_not_found_or_null()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.Manifests.ReadAsync<DownloadManifest>(Path));
        Assert.Null(await _store.Manifests.TryReadAsync<DownloadManifest>(Path));
    }

    [Fact]
    public async Task Write_replaces_the_file_and_leaves_no_temporary_files()
    {
        await _store.AddRawPartitionAsync("20241026", ("a.csv", "h\n1\n"));
        var first = _store.FileSystem.File.ReadAllText(Path);

        await _store.AddRawPartitionAsync("20241026", ("a.csv", "h\n1\n2\n"));

        Assert.NotEqual(first, _store.FileSystem.File.ReadAllText(Path));
        Assert.Equal(
            new[] { "a.csv", "download_manifest.json" },
            _store.FileSystem.Directory.GetFiles("/data/kaggle/raw/20241026").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
