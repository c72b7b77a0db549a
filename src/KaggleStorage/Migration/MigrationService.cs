using System.IO.Abstractions;
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
public sealed class MigrationService(
    StorageLayout layout,
    IFileSystem fileSystem,
    StoreLock storeLock,
    FileFingerprinter fingerprinter,
    ManifestStore manifests,
    TimeProvider timeProvider,
    IOptions<KaggleStorageOptions> options)
{
    /// <summary>The operation name in journals and the lock.</summary>
    public const string Operation = "migrate";

    private readonly LegacySourceDetector _detector = new(fileSystem);
    private readonly TreeComparer _comparer = new(fileSystem, fingerprinter);
    private readonly MigrationEngine _engine = new(fileSystem, fingerprinter, manifests, timeProvider);

    /// <summary>Plans the migration of <paramref name="from"/> without writing anything.</summary>
    public async Task<MigrationPlan> PlanAsync(string from, CancellationToken cancellationToken = default)
    {
        var source = _detector.Detect(from);
        var partitions = new List<PlannedPartition>();
        var strays = new List<string>();
        foreach (var entry in fileSystem.DirectoryInfo.New(source.RawDirectory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry is not IDirectoryInfo || entry.LinkTarget is not null || !PartitionDate.TryParse(entry.Name, out var date))
            {
                strays.Add(entry.FullName);
                continue;
            }

            var destination = layout.GetDateDirectory(StorageArea.Raw, date);
            var hasManifest = fileSystem.File.Exists(fileSystem.Path.Combine(entry.FullName, DownloadManifest.FileName));
            var tolerate = hasManifest ? new HashSet<string>() : new HashSet<string> { DownloadManifest.FileName };
            var (action, files) = await _comparer.CompareDirectoryAsync(entry.FullName, destination, null, tolerate, cancellationToken);
            partitions.Add(new PlannedPartition(date, entry.FullName, destination, action, files, hasManifest));
        }

        var areaFiles = new List<PlannedAreaFile>();
        foreach (var (area, directory) in new[] { (StorageArea.Reports, source.ReportsDirectory), (StorageArea.Metadata, source.MetadataDirectory) })
        {
            if (directory is null)
            {
                continue;
            }

            var contents = _comparer.Read(directory);
            strays.AddRange(contents.Problems);
            foreach (var (name, path, size) in TreeComparer.ListFiles(contents))
            {
                var destination = fileSystem.Path.Combine(layout.GetAreaPath(area), name);
                var file = await _comparer.CompareFileAsync(name, path, size, destination, missingIsConflict: false, cancellationToken);
                areaFiles.Add(new PlannedAreaFile(area, path, destination, file));
            }
        }

        var sourceRoot = source.ReportsDirectory is null && source.MetadataDirectory is null
            ? source.RawDirectory
            : fileSystem.Path.GetDirectoryName(source.RawDirectory)!;
        return new MigrationPlan(sourceRoot, layout.Root, partitions, areaFiles, strays)
        {
            RetentionNotes = DescribeRetention(partitions, areaFiles),
        };
    }

    /// <summary>Migrates <paramref name="from"/> into the store (or, with <paramref name="dryRun"/>, only plans).</summary>
    /// <param name="from">The legacy data folder or its <c>kaggle_raw</c> folder.</param>
    /// <param name="dryRun">Plan only; write nothing at all.</param>
    /// <param name="deleteSource">Delete each legacy day once its copy is verified (or found identical).</param>
    /// <param name="progress">Files, bytes and rate.</param>
    /// <param name="cancellationToken">Stops; no partial day is left under a final name.</param>
    public async Task<MigrationResult> MigrateAsync(
        string from,
        bool dryRun,
        bool deleteSource,
        IProgress<MigrationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (dryRun)
        {
            return new MigrationResult(Operation, true, await PlanAsync(from, cancellationToken), null, [], []);
        }

        _detector.Detect(from);
        await layout.InitializeAsync(cancellationToken);
        await using var held = await storeLock.AcquireAsync(Operation, cancellationToken);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.LostToken);
        var plan = await PlanAsync(from, work.Token);
        var journal = JournalPaths.NewJournalPath(layout, fileSystem, timeProvider);
        return await _engine.ExecuteAsync(held, Operation, plan, stagingRoot: null, journal, FinishAsync, deleteSource, progress, work.Token);
    }

    /// <summary>What the next prune does to the days and files this migration brings in, as the policy stands.</summary>
    private List<string> DescribeRetention(IReadOnlyList<PlannedPartition> partitions, IReadOnlyList<PlannedAreaFile> areaFiles)
    {
        var policy = options.Value.Retention;
        var calendar = new StoreCalendar(timeProvider, options);
        var days = partitions.Where(p => p.Action is MigrationAction.Copy or MigrationAction.Skip).Select(p => p.Date).ToList();
        var pastRaw = days.Where(day => calendar.AgeInDays(day) > policy.RawDays).ToList();
        var pastArchive = pastRaw.Count(day => calendar.AgeInDays(day) > policy.ArchiveDays);
        var notes = new List<string>();
        if (pastRaw.Count > 0)
        {
            notes.Add(
                $"{pastRaw.Count} of the {days.Count} migrated day(s) ({pastRaw.Min()} to {pastRaw.Max()}) are older than the {policy.RawDays}-day raw retention: "
                + $"the next prune archives {pastRaw.Count - pastArchive} of them and deletes their raw folders"
                + (pastArchive > 0 ? $", and deletes {pastArchive} older than the {policy.ArchiveDays}-day archive window without an archive" : string.Empty)
                + $" (the newest {policy.KeepLast} raw days of the store are always kept). Check 'prune --dry-run' and raise KaggleStorage:Retention:RawDays and ArchiveDays first if they must stay.");
        }

        foreach (var area in new[] { StorageArea.Reports, StorageArea.Metadata })
        {
            var keep = policy.GetDays(area);
            var expired = areaFiles.Count(file => file.Area == area && file.File.Action is MigrationAction.Copy or MigrationAction.Skip
                && calendar.AgeInDays(DateOf(file)) > keep);
            if (expired > 0)
            {
                notes.Add(
                    $"{expired} {area.GetFolderName()} file(s) are older than the {keep}-day {area.GetFolderName()} retention: the next prune deletes them. Raise KaggleStorage:Retention:{area}Days first if they must stay.");
            }
        }

        return notes;
    }

    private PartitionDate DateOf(PlannedAreaFile file) =>
        file.File.Name.Split('/').Reverse().Select(Retention.RetentionPlanner.FindDateToken).FirstOrDefault(date => date is not null)
        ?? new StoreCalendar(timeProvider, options).ToPartitionDate(fileSystem.File.GetLastWriteTimeUtc(file.Source));

    private async Task<(bool ManifestWritten, IReadOnlyList<string> Problems)> FinishAsync(
        PlannedPartition partition, string staging, IReadOnlyList<ManifestFile> copied, CancellationToken cancellationToken)
    {
        var manifestPath = fileSystem.Path.Combine(staging, DownloadManifest.FileName);
        var dataFiles = copied
            .Where(file => file.Name != DownloadManifest.FileName)
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .ToList();
        if (!partition.HasManifest)
        {
            // The legacy job recorded no download time; the oldest file's time is the closest witness of it.
            var downloadedAt = dataFiles.Count == 0
                ? timeProvider.GetUtcNow()
                : dataFiles.Min(file => new DateTimeOffset(fileSystem.File.GetLastWriteTimeUtc(fileSystem.Path.Combine(staging, file.Name)), TimeSpan.Zero));
            await manifests.WriteAsync(
                manifestPath,
                new DownloadManifest
                {
                    DatasetId = options.Value.DatasetId,
                    Partition = partition.Date,
                    DownloadedAtUtc = downloadedAt,
                    Source = $"migrated:{partition.Source}",
                    Files = dataFiles,
                },
                cancellationToken);
            return (true, []);
        }

        DownloadManifest manifest;
        try
        {
            manifest = await manifests.ReadAsync<DownloadManifest>(manifestPath, cancellationToken);
        }
        catch (ManifestFormatException exception)
        {
            return (false, [$"{partition.Date}: kept the legacy manifest, which cannot be read: {exception.Problem}"]);
        }

        var actual = dataFiles.ToDictionary(file => file.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var expected in manifest.Files)
        {
            if (!actual.Remove(expected.Name, out var file))
            {
                problems.Add($"{partition.Date}: legacy manifest lists {expected.Name}, which is missing");
            }
            else if (!string.Equals(file.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase) || file.SizeBytes != expected.SizeBytes)
            {
                problems.Add($"{partition.Date}: {expected.Name} does not match the legacy manifest (sha256 {file.Sha256}, manifest {expected.Sha256})");
            }
        }

        problems.AddRange(actual.Keys.Select(name => $"{partition.Date}: {name} is not listed in the legacy manifest"));
        return (false, problems);
    }
}
