using System.IO.Abstractions;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Migration;

/// <summary>
/// Moves the legacy job-local layout (<c>jobs/fetch-kaggle/data/kaggle_raw/YYYYMMDD/</c>, <c>reports/</c>,
/// <c>metadata/</c>) into the shared store, proving every byte: lock → plan → verified copy into staging →
/// manifest → publish by rename → journal. A day without a download manifest gets one; an existing manifest is
/// kept and checked. Re-running resumes: days already identical are skipped, days that differ are reported and
/// never overwritten.
/// </summary>
public sealed class MigrationService
{
    private readonly StorageLayout _layout;
    private readonly IFileSystem _fileSystem;
    private readonly StoreLock _storeLock;
    private readonly FileFingerprinter _fingerprinter;
    private readonly ManifestStore _manifests;
    private readonly TimeProvider _timeProvider;
    private readonly IOptions<KaggleStorageOptions> _options;
    private readonly IOptions<Retention.RetentionOptions> _retention;
    private readonly LegacySourceDetector _detector;
    private readonly TreeComparer _comparer;
    private readonly StoreBoundary _boundary;
    private readonly MigrationEngine _engine;

    // Internal: it is built from machinery the library keeps to itself; hosts get it from AddKaggleStorage.
    internal MigrationService(
        StorageLayout layout,
        IFileSystem fileSystem,
        StoreLock storeLock,
        FileFingerprinter fingerprinter,
        ManifestStore manifests,
        TimeProvider timeProvider,
        IOptions<KaggleStorageOptions> options,
        IOptions<Retention.RetentionOptions> retention)
    {
        _layout = layout;
        _fileSystem = fileSystem;
        _storeLock = storeLock;
        _fingerprinter = fingerprinter;
        _manifests = manifests;
        _timeProvider = timeProvider;
        _options = options;
        _retention = retention;
        _detector = new(_fileSystem);
        _comparer = new(_fileSystem, _fingerprinter);
        _boundary = new(_layout, _fileSystem);
        _engine = new(_fileSystem, _fingerprinter, _manifests, _timeProvider, new StoreBoundary(_layout, _fileSystem));
    }

    /// <summary>The operation name in journals and the lock.</summary>
    internal const string Operation = "migrate";

    /// <summary>Plans the migration of <paramref name="from"/> without writing anything.</summary>
    /// <exception cref="Errors.StorageInputException">
    /// The store does not exist, or the source is not a legacy layout or overlaps the store.
    /// </exception>
    internal async Task<MigrationPlan> PlanAsync(string from, CancellationToken cancellationToken = default)
    {
        var source = DetectSource(from);
        var partitions = new List<PlannedPartition>();
        var strays = new List<SkippedEntry>();
        foreach (var entry in _fileSystem.DirectoryInfo.New(source.RawDirectory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (WhyNotADay(entry) is { } reason)
            {
                strays.Add(new SkippedEntry(entry.FullName, reason));
                continue;
            }

            var date = PartitionDate.Parse(entry.Name);
            var destination = _layout.GetDateDirectory(StorageArea.Raw, date);
            var manifest = await ClassifyManifestAsync(_fileSystem.Path.Combine(entry.FullName, DownloadManifest.FileName), cancellationToken);

            // A legacy manifest lands as download_manifest.legacy.json and a current one is written beside it, so
            // an earlier run's copy of the day compares under those names.
            var tolerate = manifest == ManifestKind.Current ? new HashSet<string>() : new HashSet<string> { DownloadManifest.FileName };
            var renames = manifest == ManifestKind.Legacy
                ? new Dictionary<string, string> { [DownloadManifest.FileName] = DownloadManifest.LegacyFileName }
                : null;
            var (action, files) = await _comparer.CompareDirectoryAsync(entry.FullName, destination, null, tolerate, cancellationToken, renames);
            partitions.Add(new PlannedPartition(
                date, entry.FullName, destination, action, files, manifest == ManifestKind.Current, manifest == ManifestKind.Legacy));
        }

        var areaFiles = new List<PlannedAreaFile>();
        foreach (var (area, directory) in new[] { (StorageArea.Reports, source.ReportsDirectory), (StorageArea.Metadata, source.MetadataDirectory) })
        {
            if (directory is null)
            {
                continue;
            }

            var contents = _comparer.Read(directory);
            strays.AddRange(contents.Problems.Select(problem => new SkippedEntry(directory, problem)));
            foreach (var (name, path, size) in TreeComparer.ListFiles(contents))
            {
                var destination = _fileSystem.Path.Combine(_layout.GetAreaPath(area), name);
                var file = await _comparer.CompareFileAsync(name, path, size, destination, missingIsConflict: false, cancellationToken);
                areaFiles.Add(new PlannedAreaFile(area, path, destination, file));
            }
        }

        var sourceRoot = source.ReportsDirectory is null && source.MetadataDirectory is null
            ? source.RawDirectory
            : _fileSystem.Path.GetDirectoryName(source.RawDirectory)!;
        return new MigrationPlan(sourceRoot, _layout.Root, partitions, areaFiles, strays)
        {
            RetentionNotes = DescribeRetention(partitions, areaFiles),
        };
    }

    /// <summary>Migrates <paramref name="from"/> into the store (or, with <paramref name="dryRun"/>, only plans).</summary>
    /// <param name="from">The legacy data folder or its <c>kaggle_raw</c> folder.</param>
    /// <param name="dryRun">Plan only; write nothing at all.</param>
    /// <param name="deleteSource">Delete each legacy day once its copy is verified (or found identical).</param>
    /// <param name="progress">Files and bytes copied; the plan's lines first, and a line per day or file as it is done.</param>
    /// <param name="cancellationToken">Stops; no partial day is left under a final name.</param>
    public async Task<MigrationResult> MigrateAsync(
        string from,
        bool dryRun,
        bool deleteSource,
        IProgress<OperationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (dryRun)
        {
            return new MigrationResult(Operation, true, await PlanAsync(from, cancellationToken), null, [], []);
        }

        DetectSource(from);

        // DetectSource refused a missing root; an existing one gets the areas it lacks.
        await _layout.InitializeAsync(cancellationToken);
        await using var held = await _storeLock.AcquireAsync(Operation, cancellationToken);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.LostToken);
        var plan = await PlanAsync(from, work.Token);
        FreeSpace.EnsureRoom(_fileSystem, _layout.Root, plan.BytesToCopy, $"Migrating {Quantity.Of(plan.FilesToCopy, "file")}");
        var journal = JournalPaths.NewJournalPath(_layout, _fileSystem, _timeProvider);
        return await _engine.ExecuteAsync(held, Operation, plan, stagingRoot: null, journal, FinishAsync, deleteSource, progress, work.Token);
    }

    private enum ManifestKind
    {
        None,
        Current,
        Legacy,
    }

    /// <summary>
    /// The legacy layout under <paramref name="from"/>, refused when the store is missing or when the source, its
    /// <c>kaggle_raw</c>, <c>reports</c>, <c>metadata</c> or any entry of <c>kaggle_raw</c> resolves into the store:
    /// migrating the store onto itself finds every day "already there, identical", and deleting the source would
    /// then delete the store's only copy.
    /// </summary>
    private LegacySource DetectSource(string from)
    {
        _layout.EnsureExists();
        var source = _detector.Detect(from);
        var within = new List<string?> { source.RawDirectory, source.ReportsDirectory, source.MetadataDirectory };
        within.AddRange(_fileSystem.Directory.EnumerateFileSystemEntries(source.RawDirectory));
        _boundary.EnsureApart("The legacy folder", from, within);
        return source;
    }

    private string? WhyNotADay(IFileSystemInfo entry)
    {
        if (entry.LinkTarget is not null)
        {
            return $"a symbolic link to '{entry.LinkTarget}' (links are never followed)";
        }

        if (entry is not IDirectoryInfo)
        {
            return "a file, not a day folder";
        }

        if (!PartitionDate.TryParse(entry.Name, out _))
        {
            return "a folder whose name is not a YYYYMMDD day";
        }

        var contents = _comparer.Read(entry.FullName);
        return contents.Files.Count == 0 && contents.Problems.Count == 0 ? "an empty day folder (nothing to migrate)" : null;
    }

    private async Task<ManifestKind> ClassifyManifestAsync(string path, CancellationToken cancellationToken)
    {
        if (!_fileSystem.File.Exists(path))
        {
            return ManifestKind.None;
        }

        try
        {
            await _manifests.ReadAsync<DownloadManifest>(path, cancellationToken);
            return ManifestKind.Current;
        }
        catch (ManifestFormatException)
        {
            return ManifestKind.Legacy;
        }
    }

    /// <summary>What the next prune does to the days and files this migration brings in, as the policy stands.</summary>
    private List<string> DescribeRetention(IReadOnlyList<PlannedPartition> partitions, IReadOnlyList<PlannedAreaFile> areaFiles)
    {
        var policy = _retention.Value;
        var calendar = new StoreCalendar(_timeProvider, _options);
        var days = partitions.Where(p => p.Action is MigrationAction.Copy or MigrationAction.Skip).Select(p => p.Date).ToList();
        var pastRaw = days.Where(day => calendar.AgeInDays(day) > policy.RawDays).ToList();
        var pastArchive = pastRaw.Count(day => calendar.AgeInDays(day) > policy.ArchiveDays);
        var notes = new List<string>();
        if (pastRaw.Count > 0)
        {
            notes.Add(
                $"{pastRaw.Count} of the {Quantity.Of(days.Count, "migrated day")} ({pastRaw.Min()} to {pastRaw.Max()}) {(pastRaw.Count == 1 ? "is" : "are")} older than the {policy.RawDays}-day raw retention: "
                + $"the next prune archives {pastRaw.Count - pastArchive} of them and deletes their raw folders"
                + (pastArchive > 0 ? $", and deletes {pastArchive} older than the {policy.ArchiveDays}-day archive window without an archive" : string.Empty)
                + $" (the newest {policy.KeepLast} raw days of the store are always kept). Check the retention plan (prune's dry run) and raise KaggleStorage:Retention:RawDays and ArchiveDays first if they must stay.");
        }

        foreach (var area in new[] { StorageArea.Reports, StorageArea.Metadata })
        {
            var keep = policy.GetDays(area);
            var expired = areaFiles.Count(file => file.Area == area && file.File.Action is MigrationAction.Copy or MigrationAction.Skip
                && calendar.AgeInDays(DateOf(file)) > keep);
            if (expired > 0)
            {
                notes.Add(
                    $"{Quantity.Of(expired, area.GetFolderName() + " file")} {(expired == 1 ? "is" : "are")} older than the {keep}-day {area.GetFolderName()} retention: the next prune deletes them. Raise KaggleStorage:Retention:{area}Days first if they must stay.");
            }
        }

        return notes;
    }

    private PartitionDate DateOf(PlannedAreaFile file) =>
        file.File.Name.Split('/').Reverse().Select(name => PartitionDate.FindIn(name)).FirstOrDefault(date => date is not null)
        ?? new StoreCalendar(_timeProvider, _options).ToPartitionDate(_fileSystem.File.GetLastWriteTimeUtc(file.Source));

    private async Task<(bool ManifestWritten, IReadOnlyList<string> Problems)> FinishAsync(
        PlannedPartition partition, string staging, IReadOnlyList<ManifestFile> copied, CancellationToken cancellationToken)
    {
        var manifestPath = _fileSystem.Path.Combine(staging, DownloadManifest.FileName);
        var legacyProblems = new List<string>();
        if (partition.HasLegacyManifest)
        {
            // The old job's manifest is kept byte for byte beside the new one, listed like any other file of the
            // day, and what it can be understood to claim is checked against the verified copies.
            copied = copied.Select(file => file.Name == DownloadManifest.FileName ? file with { Name = DownloadManifest.LegacyFileName } : file).ToList();
            legacyProblems.AddRange(await CheckLegacyClaimsAsync(partition.Date, staging, copied, cancellationToken));
        }

        var dataFiles = copied
            .Where(file => file.Name != DownloadManifest.FileName)
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .ToList();
        if (!partition.HasManifest)
        {
            // The legacy job recorded no download time; the oldest file's time is the closest witness of it.
            var downloadedAt = dataFiles.Count == 0
                ? _timeProvider.GetUtcNow()
                : dataFiles.Min(file => new DateTimeOffset(_fileSystem.File.GetLastWriteTimeUtc(_fileSystem.Path.Combine(staging, file.Name)), TimeSpan.Zero));
            await _manifests.WriteAsync(
                manifestPath,
                new DownloadManifest
                {
                    DatasetId = _options.Value.DatasetId,
                    Partition = partition.Date,
                    DownloadedAtUtc = downloadedAt,
                    Source = $"migrated:{partition.Source}",
                    Files = dataFiles,
                },
                cancellationToken);
            return (true, legacyProblems);
        }

        DownloadManifest manifest;
        try
        {
            manifest = await _manifests.ReadAsync<DownloadManifest>(manifestPath, cancellationToken);
        }
        catch (ManifestFormatException exception)
        {
            return (false, [$"{partition.Date}: kept the legacy manifest, which cannot be read: {exception.Problem}"]);
        }

        var comparison = FileSetComparer.Compare(
            manifest.Files.Select(file => new FileSetEntry(file.Name, file.SizeBytes, file.Sha256)),
            dataFiles.Select(file => new FileSetEntry(file.Name, file.SizeBytes, file.Sha256)));
        var problems = comparison.Differences
            .Select(difference => difference.Kind switch
            {
                FileDifferenceKind.Missing => $"{partition.Date}: legacy manifest lists {difference.Name}, which is missing",
                FileDifferenceKind.Extra => $"{partition.Date}: {difference.Name} is not listed in the legacy manifest",
                _ => $"{partition.Date}: {difference.Name} does not match the legacy manifest (sha256 {difference.Found.Sha256}, manifest {difference.Want.Sha256})",
            })
            .ToList();
        return (false, problems);
    }

    private async Task<IReadOnlyList<string>> CheckLegacyClaimsAsync(
        PartitionDate date, string staging, IReadOnlyList<ManifestFile> copied, CancellationToken cancellationToken)
    {
        var legacyBytes = await _fileSystem.File.ReadAllBytesAsync(_fileSystem.Path.Combine(staging, DownloadManifest.LegacyFileName), cancellationToken);
        var byName = copied.ToDictionary(file => file.Name, StringComparer.Ordinal);
        var byLeaf = copied.GroupBy(file => file.Name.Split('/')[^1], StringComparer.Ordinal)
            .Where(group => group.Count() == 1)
            .ToDictionary(group => group.Key, group => group.Single(), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var claim in LegacyManifestReader.Read(legacyBytes))
        {
            if (!byName.TryGetValue(claim.Name, out var file) && !byLeaf.TryGetValue(claim.Name.Split('/')[^1], out file))
            {
                problems.Add($"{date}: the legacy manifest lists {claim.Name}, which is not in the day");
            }
            else if (FileSetComparer.Compare(
                    [new FileSetEntry(file.Name, claim.SizeBytes ?? file.SizeBytes, claim.Sha256)],
                    [new FileSetEntry(file.Name, file.SizeBytes, file.Sha256)]).Differences is [var difference, ..])
            {
                // A claim names only what the old job recorded: a size, a hash, or both.
                problems.Add(difference.Kind == FileDifferenceKind.SizeDiffers
                    ? $"{date}: {file.Name} has {file.SizeBytes} bytes, but the legacy manifest says {claim.SizeBytes}"
                    : $"{date}: {file.Name} has sha256 {file.Sha256}, but the legacy manifest says {claim.Sha256}");
            }
            else if (claim.Md5 is { } md5 && await Md5Async(_fileSystem.Path.Combine(staging, file.Name), cancellationToken) is var actual
                && !string.Equals(md5, actual, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{date}: {file.Name} has md5 {actual}, but the legacy manifest says {md5}");
            }
        }

        return problems;
    }

    private async Task<string> Md5Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = _fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
#pragma warning disable CA5351 // The old job recorded MD5; it is compared, not trusted for security.
        return Convert.ToHexStringLower(await System.Security.Cryptography.MD5.HashDataAsync(stream, cancellationToken));
#pragma warning restore CA5351
    }
}
