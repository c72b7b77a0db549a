using KaggleStorage.Archival;
using KaggleStorage.Errors;
using KaggleStorage.Layout;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Tests.Archival;

/// <summary>The library says what happened by the type of what it throws, so a host can tell a missing day from a refusal.</summary>
public sealed class ErrorConditionTests
{
    private readonly TestStore _store = new();
    private readonly PartitionArchiver _archiver;
    private readonly VerifyService _verify;
    private readonly ArchiveRestorer _restorer;

    public ErrorConditionTests()
    {
        _archiver = new PartitionArchiver(_store.Layout, _store.FileSystem, _store.Manifests, _store.Time, _store.Archives, _store.Verifier);
        var verifier = new ArchiveVerifier(_store.FileSystem, _store.Manifests, _archiver, _store.Archives);
        _verify = new VerifyService(_store.Layout, _store.Verifier, verifier, _archiver, _store.Lock);
        _restorer = new ArchiveRestorer(_store.Layout, _store.FileSystem, _store.Lock, _store.Manifests, Options.Create(_store.Options), _store.Archives);
    }

    [Fact]
    public async Task A_day_the_store_does_not_have_is_not_found_which_is_bad_input()
    {
        var verify = await Assert.ThrowsAsync<StorageNotFoundException>(() => _verify.VerifyAsync([PartitionDate.Parse("20240101")]));
        var restore = await Assert.ThrowsAsync<StorageNotFoundException>(() => _restorer.RestoreAsync(PartitionDate.Parse("20240101")));

        Assert.IsAssignableFrom<StorageInputException>(verify);
        Assert.Contains("20240101", restore.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_live_file_that_differs_from_its_archived_copy_without_being_newer_is_a_conflict_refused_without_force()
    {
        await _store.AddRawPartitionAsync("20241020", ("prices.csv", "h\n1\n"));
        var day = PartitionDate.Parse("20241020");
        var summary = _store.Layout.GetDateDirectory(StorageArea.Processed, day) + "/load_summary.json";
        _store.FileSystem.Directory.CreateDirectory(_store.Layout.GetDateDirectory(StorageArea.Processed, day));
        await _store.FileSystem.File.WriteAllTextAsync(summary, "{\"rows\":1}");
        var written = new DateTime(2024, 10, 21, 3, 0, 0, DateTimeKind.Utc);
        _store.FileSystem.File.SetLastWriteTimeUtc(summary, written);
        await using (var held = await _store.Lock.AcquireAsync("test", CancellationToken.None))
        {
            await _archiver.ArchiveAsync(held, day, force: false, progress: null, CancellationToken.None);
        }

        // Other bytes, same time: damage or a restored old copy, not a newer file.
        await _store.FileSystem.File.WriteAllTextAsync(summary, "{\"rows\":2}");
        _store.FileSystem.File.SetLastWriteTimeUtc(summary, written);
        await using var again = await _store.Lock.AcquireAsync("test", CancellationToken.None);

        var mismatch = await Assert.ThrowsAsync<StorageMismatchException>(() => _archiver.ArchiveAsync(again, day, force: false, progress: null, CancellationToken.None));
        var replaced = await _archiver.ArchiveAsync(again, day, force: true, progress: null, CancellationToken.None);

        Assert.IsAssignableFrom<StorageOperationException>(mismatch);
        Assert.Contains("processed/20241020/load_summary.json", mismatch.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal("replaced", replaced.Status);
    }

    [Fact]
    public async Task A_raw_file_whose_bytes_disagree_with_the_manifest_is_not_archived()
    {
        await _store.AddRawPartitionAsync("20241020", ("prices.csv", "h\n1\n"));
        var day = PartitionDate.Parse("20241020");
        await _store.FileSystem.File.WriteAllTextAsync($"{_store.RawDay("20241020")}/prices.csv", "h\n2\n");
        await using var held = await _store.Lock.AcquireAsync("test", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<StorageOperationException>(() => _archiver.ArchiveAsync(held, day, force: true, progress: null, CancellationToken.None));

        Assert.Contains("download manifest is invalid", refused.Message, StringComparison.Ordinal);
        Assert.Contains("prices.csv", refused.Message, StringComparison.Ordinal);
        Assert.False(_store.FileSystem.File.Exists(_store.Layout.Root + "/archive/20241020.tar.gz"));
    }
}
