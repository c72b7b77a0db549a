using KaggleStorage.Manifests;

namespace KaggleStorage.Tests.Manifests;

public sealed class DownloadManifestVerifierTests
{
    private readonly TestStore _store = new();

    [Fact]
    public async Task Matching_partition_is_valid()
    {
        await _store.AddRawPartitionAsync("20241026", ("a.csv", "h\n1\n"), ("b.csv", "h\n2\n"));

        var check = await _store.Verifier.VerifyAsync(_store.RawDay("20241026"), verifyContent: true);

        Assert.Equal(ManifestHealth.Valid, check.Health);
        Assert.Empty(check.Problems);
    }

    [Fact]
    public async Task Partition_without_manifest_is_missing()
    {
        _store.FileSystem.Directory.CreateDirectory(_store.RawDay("20241026"));

        var check = await _store.Verifier.VerifyAsync(_store.RawDay("20241026"), verifyContent: false);

        Assert.Equal(ManifestHealth.Missing, check.Health);
    }

    [Fact]
    public async Task Size_change_missing_and_unlisted_files_are_each_reported()
    {
        await _store.AddRawPartitionAsync("20241026", ("a.csv", "h\n1\n"), ("b.csv", "h\n2\n"));
        var day = _store.RawDay("20241026");
        _store.FileSystem.File.AppendAllText($"{day}/a.csv", "3\n");
        _store.FileSystem.File.Delete($"{day}/b.csv");
        _store.FileSystem.File.WriteAllText($"{day}/c.csv", "h\n");

        var check = await _store.Verifier.VerifyAsync(day, verifyContent: false);

        Assert.Equal(ManifestHealth.Invalid, check.Health);
        Assert.Equal(
            new[]
            {
                "a.csv: size 6 bytes, manifest says 4",
                "b.csv: listed in the manifest but missing",
                "c.csv: present but not listed in the manifest",
            },
            check.Problems);
    }

    [Fact]
    public async Task Same_size_different_content_is_found_only_when_hashing()
    {
        await _store.AddRawPartitionAsync("20241026", ("a.csv", "h\n1\n"));
        var day = _store.RawDay("20241026");
        _store.FileSystem.File.WriteAllText($"{day}/a.csv", "h\n2\n");

        var shallow = await _store.Verifier.VerifyAsync(day, verifyContent: false);
        var deep = await _store.Verifier.VerifyAsync(day, verifyContent: true);

        Assert.Equal(ManifestHealth.Valid, shallow.Health);
        Assert.Equal(ManifestHealth.Invalid, deep.Health);
        Assert.StartsWith("a.csv: sha256 ", Assert.Single(deep.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_of_another_day_is_invalid()
    {
        await _store.AddRawPartitionAsync("20241026", ("a.csv", "h\n1\n"));
        _store.FileSystem.Directory.Move(_store.RawDay("20241026"), _store.RawDay("20241027"));

        var check = await _store.Verifier.VerifyAsync(_store.RawDay("20241027"), verifyContent: false);

        Assert.Equal(ManifestHealth.Invalid, check.Health);
        Assert.Contains("manifest names partition 20241026 but lives in folder 20241027", check.Problems);
    }

    [Fact]
    public async Task Unreadable_manifest_is_invalid_not_an_exception()
    {
        var day = _store.RawDay("20241026");
        _store.FileSystem.AddFile($"{day}/download_manifest.json", new System.IO.Abstractions.TestingHelpers.MockFileData("{"));

        var check = await _store.Verifier.VerifyAsync(day, verifyContent: false);

        Assert.Equal(ManifestHealth.Invalid, check.Health);
        Assert.Single(check.Problems);
    }

    [Fact]
    public async Task Day_that_cannot_be_listed_is_invalid_naming_its_folder_not_missing_its_manifest()
    {
        var day = _store.RawDay("20241026");
        _store.FileSystem.Directory.CreateDirectory(day);
        var unreadable = new KaggleStorage.IO.DayContents(day, [], [], [$"{day} could not be read: Access to the path '{day}' is denied"])
        {
            IsComplete = false,
        };

        var check = await _store.Verifier.VerifyAsync(day, unreadable, verifyContent: false, CancellationToken.None);

        Assert.Equal(ManifestHealth.Invalid, check.Health);
        Assert.Equal([$"{day} could not be read: Access to the path '{day}' is denied"], check.Problems);
    }
}
