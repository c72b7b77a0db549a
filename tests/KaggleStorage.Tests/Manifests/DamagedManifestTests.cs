using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Tests.Manifests;

/// <summary>A manifest with nulls or wrong types is invalid, named by file and JSON path; never a crash.</summary>
public sealed class DamagedManifestTests
{
    private const string Day = "20241026";
    private const string Valid =
        """{"schemaVersion":1,"datasetId":"o/s","partition":"20241026","downloadedAtUtc":"2024-10-26T02:00:00Z","source":"test","files":[{"name":"a.csv","sizeBytes":4,"sha256":"x","rowCount":1}]}""";

    public static TheoryData<string, string> Damaged() => new()
    {
        { Valid.Replace("""[{"name":"a.csv","sizeBytes":4,"sha256":"x","rowCount":1}]""", "null", StringComparison.Ordinal), "$.files" },
        { Valid.Replace("""[{"name":"a.csv""", """[null,{"name":"a.csv""", StringComparison.Ordinal), "$.files[0]" },
        { Valid.Replace("""{"name":"a.csv",""", """{"name":null,""", StringComparison.Ordinal), "name" },
        { Valid.Replace("\"sizeBytes\":4", "\"sizeBytes\":\"four\"", StringComparison.Ordinal), "$.files[0].sizeBytes" },
        { Valid.Replace("\"sha256\":\"x\"", "\"sha256\":null", StringComparison.Ordinal), "sha256" },
        { Valid.Replace("\"datasetId\":\"o/s\"", "\"datasetId\":null", StringComparison.Ordinal), "datasetId" },
        { Valid.Replace("\"partition\":\"20241026\"", "\"partition\":7", StringComparison.Ordinal), "$.partition" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public async Task Damaged_download_manifest_is_a_format_error_naming_the_file_and_the_json_path(string json, string where)
    {
        var store = new TestStore();
        var path = store.FileSystem.Path.Combine(store.RawDay(Day), DownloadManifest.FileName);
        store.FileSystem.AddFile(path, new(json));

        var exception = await Assert.ThrowsAsync<ManifestFormatException>(() => store.Manifests.ReadAsync<DownloadManifest>(path));

        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
        Assert.Contains(where, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Damaged))]
    public async Task Status_marks_only_that_day_invalid_and_still_reports_the_store(string json, string where)
    {
        var store = new TestStore();
        await store.AddRawPartitionAsync("20241025", ("a.csv", "h\n1\n"));
        store.FileSystem.AddFile(store.FileSystem.Path.Combine(store.RawDay(Day), "a.csv"), new("h\n1\n"));
        store.FileSystem.AddFile(store.FileSystem.Path.Combine(store.RawDay(Day), DownloadManifest.FileName), new(json));

        var status = await store.Scanner.ScanAsync();

        var damaged = Assert.Single(status.Partitions, p => p.Date == PartitionDate.Parse(Day));
        Assert.Equal(ManifestHealth.Invalid, damaged.Manifest);
        Assert.Contains(damaged.ManifestProblems, problem => problem.Contains(where, StringComparison.Ordinal));
        Assert.Equal(ManifestHealth.Valid, Assert.Single(status.Partitions, p => p.Date == PartitionDate.Parse("20241025")).Manifest);
    }

    [Fact]
    public async Task Archive_index_with_null_entries_is_a_format_error()
    {
        var store = new TestStore();
        const string Path = "/data/kaggle/archive/20241026.tar.gz.index.json";
        store.FileSystem.AddFile(Path, new("""{"schemaVersion":1,"partition":"20241026","createdAtUtc":"2024-10-26T02:00:00Z","archiveSizeBytes":1,"archiveSha256":"x","entries":null}"""));

        var exception = await Assert.ThrowsAsync<ManifestFormatException>(() => store.Manifests.ReadAsync<ArchiveIndex>(Path));

        Assert.Contains("entries", exception.Message, StringComparison.Ordinal);
    }
}
