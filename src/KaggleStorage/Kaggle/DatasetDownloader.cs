using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Kaggle;

/// <summary>
/// The nightly fetch: downloads the dataset's zip into a staging file on the store's volume, extracts it into a
/// staging partition (zip-slip refused), fingerprints every file into <c>download_manifest.json</c>, and publishes
/// the day as <c>raw/YYYYMMDD</c> by rename. An existing day with a valid manifest is skipped unless forced; a
/// forced replacement swaps atomically and puts the old day back if anything fails.
/// </summary>
public sealed class DatasetDownloader
{
    private readonly StorageLayout _layout;
    private readonly IFileSystem _fileSystem;
    private readonly StoreLock _storeLock;
    private readonly StoreCalendar _calendar;
    private readonly KaggleApiClient _api;
    private readonly KaggleCredentialsProvider _credentialsProvider;
    private readonly FileFingerprinter _fingerprinter;
    private readonly ManifestStore _manifests;
    private readonly DownloadManifestVerifier _verifier;
    private readonly TimeProvider _timeProvider;
    private readonly IOptions<KaggleStorageOptions> _options;
    private readonly IOptions<KaggleClientOptions> _client;
    private readonly ILogger<DatasetDownloader> _logger;

    // Internal: the Kaggle client is machinery, so hosts get this service from AddKaggleStorage, not by hand.
    internal DatasetDownloader(
        StorageLayout layout,
        IFileSystem fileSystem,
        StoreLock storeLock,
        StoreCalendar calendar,
        KaggleApiClient api,
        KaggleCredentialsProvider credentialsProvider,
        FileFingerprinter fingerprinter,
        ManifestStore manifests,
        DownloadManifestVerifier verifier,
        TimeProvider timeProvider,
        IOptions<KaggleStorageOptions> options,
        IOptions<KaggleClientOptions> client,
        ILogger<DatasetDownloader> logger)
    {
        _client = client;
        _layout = layout;
        _fileSystem = fileSystem;
        _storeLock = storeLock;
        _calendar = calendar;
        _api = api;
        _credentialsProvider = credentialsProvider;
        _fingerprinter = fingerprinter;
        _manifests = manifests;
        _verifier = verifier;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger;
    }

    /// <summary>Downloads the dataset into <c>raw/YYYYMMDD</c>.</summary>
    /// <param name="date">The day to file it under; null for today in the configured time zone.</param>
    /// <param name="dryRun">Ask the API what would be fetched; write nothing.</param>
    /// <param name="force">Replace a day that already exists.</param>
    /// <param name="progress">Bytes received.</param>
    /// <param name="cancellationToken">Stops; no partition appears and staging is cleaned.</param>
    public async Task<DownloadResult> DownloadAsync(
        PartitionDate? date, bool dryRun, bool force, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var day = date ?? _calendar.Today;
        var destination = _layout.GetDateDirectory(StorageArea.Raw, day);
        var datasetId = _options.Value.DatasetId;
        var credentials = _credentialsProvider.Resolve();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_client.Value.Timeout);
        try
        {
            if (dryRun)
            {
                var planned = await _api.GetDatasetInfoAsync(datasetId, credentials, timeout.Token);
                return new DownloadResult(day, DownloadStatus.Planned, destination, planned, null, credentials.Username);
            }

            await _layout.InitializeAsync(timeout.Token);
            await using var held = await _storeLock.AcquireAsync("download", timeout.Token);
            using var work = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, held.LostToken);
            if (_fileSystem.Directory.Exists(destination) && !force)
            {
                var check = await _verifier.VerifyAsync(destination, verifyContent: false, timeout.Token);
                return check.Health == ManifestHealth.Valid
                    ? new DownloadResult(day, DownloadStatus.Skipped, destination, null, null, credentials.Username)
                    : throw new StorageMismatchException(
                        $"{destination} exists but its manifest is {check.Health.ToString().ToLowerInvariant()}; download with force to replace it with a fresh download.");
            }

            var info = await _api.GetDatasetInfoAsync(datasetId, credentials, work.Token);
            if (!force && await FindUnchangedSinceAsync(info, day, work.Token) is { } since)
            {
                // Nothing new on Kaggle: no second copy of the same data, but a record that the day was checked.
                await held.WriteFileAsync(
                    _fileSystem.Path.Combine(_layout.DownloadChecksDirectory, $"{day}.json"),
                    (stream, token) => _manifests.SerializeAsync(stream, new DownloadCheck
                    {
                        Date = day,
                        CheckedAtUtc = _timeProvider.GetUtcNow(),
                        DatasetId = datasetId,
                        DatasetVersion = info.Version!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        UnchangedSince = since,
                    }, token),
                    work.Token);
                _logger.LogInformation("{Dataset} is unchanged since {Since} (version {Version}); nothing downloaded", datasetId, since, info.Version);
                return new DownloadResult(day, DownloadStatus.Unchanged, _layout.GetDateDirectory(StorageArea.Raw, since), info, null, credentials.Username);
            }

            return await DownloadIntoStagingAndPublishAsync(held, info, day, destination, datasetId, credentials, progress, work.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StorageOperationException(
                $"The download did not finish within {_client.Value.Timeout} (KaggleStorage:Kaggle:Timeout); nothing was published.");
        }
    }

    /// <summary>The newest raw day before <paramref name="day"/> that holds Kaggle's current version, if any.</summary>
    private async Task<PartitionDate?> FindUnchangedSinceAsync(KaggleDatasetInfo info, PartitionDate day, CancellationToken cancellationToken)
    {
        if (info.Version is not { } current)
        {
            return null;
        }

        var earlier = _layout.ListPartitions(StorageArea.Raw).Dates.Where(date => date < day).ToList();
        if (earlier.Count == 0)
        {
            return null;
        }

        var newest = earlier[^1];

        try
        {
            var manifest = await _manifests.TryReadAsync<DownloadManifest>(
                _fileSystem.Path.Combine(_layout.GetDateDirectory(StorageArea.Raw, newest), DownloadManifest.FileName), cancellationToken);
            return manifest?.DatasetVersion == current.ToString(System.Globalization.CultureInfo.InvariantCulture) ? newest : null;
        }
        catch (ManifestFormatException)
        {
            return null;
        }
    }

    private async Task<DownloadResult> DownloadIntoStagingAndPublishAsync(
        StoreLockHandle held,
        KaggleDatasetInfo info,
        PartitionDate day,
        string destination,
        string datasetId,
        KaggleCredentials credentials,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        try
        {
            // The zip and then its extracted files both land on the store's volume: what Kaggle lists is the
            // extracted total, and the zip is at most that again (CSV zips are about a sixth of it).
            FreeSpace.EnsureRoom(_fileSystem, _layout.Root, info.TotalBytes + (info.TotalBytes / 3), $"Downloading {datasetId} ({info.TotalBytes} bytes of files)");
            var partial = new PartialDownload(_fileSystem, _layout, datasetId, info.Version);
            await using var staging = held.CreateStagedDirectory($"download-{day}");
            try
            {
                await using (var file = partial.Open())
                {
                    var bytes = progress is null ? null : new CallbackProgress<(long Bytes, long? Total)>(p => progress.Report(new DownloadProgress(p.Bytes, p.Total)));
                    await _api.DownloadAsync(datasetId, info.Version, credentials, file, bytes, cancellationToken, partial.Validator, partial.RememberValidator);
                }

                await new SafeZipExtractor(_fileSystem).ExtractAsync(partial.Path, staging.Path, cancellationToken);
            }
            catch (InvalidDataException exception)
            {
                // A zip that fails its integrity checks is not worth resuming; a full volume or a cut transfer is.
                partial.Discard();
                throw new StorageOperationException(exception.Message, exception);
            }

            var manifest = new DownloadManifest
            {
                DatasetId = datasetId,
                DatasetVersion = info.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Partition = day,
                DownloadedAtUtc = _timeProvider.GetUtcNow(),
                Source = KaggleApiClient.GetPageUri(datasetId, info.Version),
                Files = await _fingerprinter.ComputePartitionAsync(staging.Path, cancellationToken),
            };
            await _manifests.WriteAsync(_fileSystem.Path.Combine(staging.Path, DownloadManifest.FileName), manifest, cancellationToken);
            var replaced = await staging.PublishReplacingAsync(destination, cancellationToken);
            partial.Discard();
            _logger.LogInformation("Downloaded {Dataset} version {Version} into {Destination}: {Files} files", datasetId, info.Version, destination, manifest.Files.Count);
            return new DownloadResult(day, replaced ? DownloadStatus.Replaced : DownloadStatus.Downloaded, destination, null, manifest, credentials.Username);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StorageOperationException($"Downloading into {destination} failed: {exception.Message} Nothing was published.", exception);
        }
    }
}
