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

    /// <summary>
    /// Decides what downloading into <c>raw/YYYYMMDD</c> would do: resolves the credentials, looks at the day, and
    /// asks Kaggle for the dataset's current version and files. Writes nothing, not even the store's folders.
    /// </summary>
    /// <param name="date">The day to file it under; null for today in the configured time zone.</param>
    /// <param name="force">Download even when the day exists or the dataset is unchanged.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <exception cref="StorageMismatchException">The day exists but its manifest does not hold, and force is off.</exception>
    public async Task<DownloadPlan> PlanAsync(PartitionDate? date, bool force = false, CancellationToken cancellationToken = default)
    {
        _layout.EnsureExists();
        var today = _calendar.Today;
        var day = date ?? today;
        if (day > today)
        {
            // Kaggle has only today's version: filing it under a later day would be a day that never was (and an
            // "unchanged" record for a day that has not come).
            throw new StorageInputException(
                $"{day} is in the future (today is {today} in {_options.Value.TimeZone}); download files today's version under today or an earlier day.");
        }

        var destination = _layout.GetDateDirectory(StorageArea.Raw, day);
        using var timeout = StartTimeout(cancellationToken);
        try
        {
            if (!force && await CheckExistingDayAsync(destination, timeout.Token))
            {
                // Nothing is asked of Kaggle, so nothing is asked of the credentials: a re-run of a night that
                // already has its day succeeds on a machine without them.
                return new DownloadPlan(day, DownloadAction.Skip, destination, null, null, null);
            }

            var credentials = _credentialsProvider.Resolve();
            var info = await _api.GetDatasetInfoAsync(_options.Value.DatasetId, credentials, timeout.Token);
            if (_fileSystem.Directory.Exists(destination))
            {
                return new DownloadPlan(day, DownloadAction.Replace, destination, info, null, credentials.Username);
            }

            return !force && await FindUnchangedSinceAsync(info, day, timeout.Token) is { } since
                ? new DownloadPlan(day, DownloadAction.Unchanged, destination, info, since, credentials.Username)
                : new DownloadPlan(day, DownloadAction.Download, destination, info, null, credentials.Username);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
    }

    /// <summary>
    /// Carries out <paramref name="plan"/> under the store lock: fetches the zip (resuming a kept partial),
    /// checks it, extracts, fingerprints into <c>download_manifest.json</c>, and publishes the day; or records that
    /// the dataset was unchanged. A day that appeared since the plan is left alone when its manifest holds.
    /// </summary>
    /// <param name="plan">From <see cref="PlanAsync"/>.</param>
    /// <param name="progress">Bytes received (stage <c>receiving</c>), then bytes extracted (<c>extracting</c>).</param>
    /// <param name="cancellationToken">Stops; no partition appears and staging is cleaned.</param>
    public async Task<DownloadResult> ExecuteAsync(DownloadPlan plan, IProgress<OperationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Action == DownloadAction.Skip)
        {
            return new DownloadResult(plan.Date, DownloadStatus.Skipped, plan.Destination, null, null, plan.Username);
        }

        var info = plan.Dataset ?? throw new ArgumentException("The plan names no dataset version to download.", nameof(plan));
        var destination = _layout.GetDateDirectory(StorageArea.Raw, plan.Date);
        if (!string.Equals(plan.Destination, destination, StringComparison.Ordinal))
        {
            throw new StorageInputException($"The plan files {plan.Date} under {plan.Destination}, but this store keeps it in {destination}; plan again with this store.");
        }

        var datasetId = _options.Value.DatasetId;
        var credentials = _credentialsProvider.Resolve();
        using var timeout = StartTimeout(cancellationToken);
        try
        {
            // The root must exist (a mistyped one is refused); missing areas of an existing root are created.
            _layout.EnsureExists();
            await _layout.InitializeAsync(timeout.Token);
            await using var held = await _storeLock.AcquireAsync("download", timeout.Token);
            using var work = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, held.LostToken);
            if (plan.Action != DownloadAction.Replace && await CheckExistingDayAsync(destination, work.Token))
            {
                // Another run published the day since the plan was made.
                return new DownloadResult(plan.Date, DownloadStatus.Skipped, destination, null, null, credentials.Username);
            }

            if (plan is { Action: DownloadAction.Unchanged, UnchangedSince: { } since })
            {
                // Nothing new on Kaggle: no second copy of the same data, but a record that the day was checked.
                await held.WriteFileAsync(
                    DownloadCheckFolder.PathOf(_layout, _fileSystem, plan.Date),
                    (stream, token) => _manifests.SerializeAsync(stream, new DownloadCheck
                    {
                        Date = plan.Date,
                        CheckedAtUtc = _timeProvider.GetUtcNow(),
                        DatasetId = datasetId,
                        DatasetVersion = info.Version!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        UnchangedSince = since,
                    }, token),
                    work.Token);
                _logger.LogInformation("{Dataset} is unchanged since {Since} (version {Version}); nothing downloaded", datasetId, since, info.Version);
                return new DownloadResult(plan.Date, DownloadStatus.Unchanged, _layout.GetDateDirectory(StorageArea.Raw, since), info, null, credentials.Username);
            }

            return await DownloadIntoStagingAndPublishAsync(held, info, plan.Date, destination, datasetId, credentials, progress, work.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
    }

    private CancellationTokenSource StartTimeout(CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_client.Value.Timeout);
        return timeout;
    }

    private StorageOperationException TimedOut() =>
        new($"The download did not finish within {_client.Value.Timeout} (KaggleStorage:Kaggle:Timeout); nothing was published.");

    /// <summary>Whether the day exists with a valid manifest; a day whose manifest does not hold is a mismatch.</summary>
    private async Task<bool> CheckExistingDayAsync(string destination, CancellationToken cancellationToken)
    {
        if (!_fileSystem.Directory.Exists(destination))
        {
            return false;
        }

        var check = await _verifier.VerifyAsync(destination, verifyContent: false, cancellationToken);
        return check.Health == ManifestHealth.Valid
            ? true
            : throw new StorageMismatchException(
                $"{destination} exists but its manifest is {check.Health.ToString().ToLowerInvariant()}; download with force to replace it with a fresh download.");
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

    /// <summary>
    /// Refuses an intact zip that is not the dataset Kaggle lists: empty, a listed file missing, an unlisted file,
    /// or a file of another size. Published, such a day would stand for the version and make later nights call it
    /// unchanged.
    /// </summary>
    /// <exception cref="InvalidDataException">The extracted files do not match the listing.</exception>
    private void CheckAgainstListing(KaggleDatasetInfo info, string datasetId, string extracted)
    {
        var comparison = DatasetListingComparison.Compare(info.Files, _fingerprinter.ReadDay(extracted).ThrowIfUnsafe().Files);
        if (!comparison.Matches)
        {
            throw new InvalidDataException(
                $"The downloaded zip of {datasetId}{(info.Version is { } v ? $" version {v}" : string.Empty)} does not match Kaggle's listing of {Quantity.Of(info.Files.Count, "file")}: {comparison.Describe()}; nothing was published, and the next run downloads it again.");
        }

        if (comparison.UnlistedInFolders.Count > 0)
        {
            _logger.LogInformation(
                "{Count} file(s) in folders of the zip are not in Kaggle's listing, which leaves out files in folders; kept: {Names}",
                comparison.UnlistedInFolders.Count,
                string.Join(", ", comparison.UnlistedInFolders.Take(3).Select(EntryNameText.Escape)));
        }
    }

    private async Task<DownloadResult> DownloadIntoStagingAndPublishAsync(
        StoreLockHandle held,
        KaggleDatasetInfo info,
        PartitionDate day,
        string destination,
        string datasetId,
        KaggleCredentials credentials,
        IProgress<OperationProgress>? progress,
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
                    var bytes = progress is null ? null : new CallbackProgress<(long Bytes, long? Total)>(p => progress.Report(new OperationProgress("receiving", p.Bytes, p.Total)));
                    await _api.DownloadAsync(datasetId, info.Version, credentials, file, bytes, cancellationToken, partial.Validator, partial.RememberValidator);
                }

                var extracted = progress is null ? null : new CallbackProgress<(long Done, long Total)>(p => progress.Report(new OperationProgress("extracting", p.Done, p.Total)));
                await new SafeZipExtractor(_fileSystem).ExtractAsync(partial.Path, staging.Path, extracted, cancellationToken);
                CheckAgainstListing(info, datasetId, staging.Path);
            }
            catch (InvalidDataException exception)
            {
                // A zip that fails its integrity checks (or disagrees with Kaggle's listing) is not worth resuming,
                // and nothing of it is published, so the next run downloads afresh instead of calling the version
                // unchanged; a full volume or a cut transfer is worth resuming.
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
