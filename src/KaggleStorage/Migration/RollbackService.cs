using System.IO.Abstractions;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;

namespace KaggleStorage.Migration;

/// <summary>
/// Copies migrated data back into the legacy layout (<c>&lt;to&gt;/kaggle_raw/YYYYMMDD</c>, <c>reports/</c>,
/// <c>metadata/</c>) with the same verified machinery as migration. What goes back is what the newest migration
/// journal records, or every raw day when there is none. Manifests that migration wrote are left out, so the
/// legacy tree comes back as it was. Nothing is deleted from the shared store.
/// </summary>
public sealed class RollbackService
{
    private readonly StorageLayout _layout;
    private readonly IFileSystem _fileSystem;
    private readonly StoreLock _storeLock;
    private readonly FileFingerprinter _fingerprinter;
    private readonly ManifestStore _manifests;
    private readonly TimeProvider _timeProvider;
    private readonly TreeComparer _comparer;
    private readonly StoreBoundary _boundary;
    private readonly MigrationEngine _engine;

    // Internal: it is built from machinery the library keeps to itself; hosts get it from AddKaggleStorage.
    internal RollbackService(
        StorageLayout layout,
        IFileSystem fileSystem,
        StoreLock storeLock,
        FileFingerprinter fingerprinter,
        ManifestStore manifests,
        TimeProvider timeProvider)
    {
        _layout = layout;
        _fileSystem = fileSystem;
        _storeLock = storeLock;
        _fingerprinter = fingerprinter;
        _manifests = manifests;
        _timeProvider = timeProvider;
        _comparer = new(_fileSystem, _fingerprinter);
        _boundary = new(_layout, _fileSystem);
        _engine = new(_fileSystem, _fingerprinter, _manifests, _timeProvider, new StoreBoundary(_layout, _fileSystem));
    }

    /// <summary>The operation name in journals and the lock.</summary>
    internal const string Operation = "rollback";

    /// <summary>Plans the rollback into <paramref name="to"/> without writing anything.</summary>
    /// <exception cref="Errors.StorageInputException">The store does not exist, or the target overlaps it.</exception>
    internal async Task<MigrationPlan> PlanAsync(string to, CancellationToken cancellationToken = default)
    {
        var target = ResolveTarget(to);
        var journal = await FindNewestMigrationAsync(cancellationToken);
        var partitions = new List<PlannedPartition>();
        var days = journal is null
            ? _layout.ListPartitions(StorageArea.Raw).Dates.Select(date => (Date: date, ManifestWritten: (bool?)null)).ToList()
            : journal.Entries.Where(e => e.Kind == JournalEntryKind.Day && e.Outcome is JournalOutcome.Copied or JournalOutcome.Skipped)
                // Only a run that copied the day knows whether it wrote the manifest; after a skip, the manifest says.
                .Select(e => (Date: PartitionDate.Parse(e.Name), ManifestWritten: e.Outcome == JournalOutcome.Copied ? (bool?)e.ManifestWritten : null)).ToList();
        foreach (var (date, manifestWritten) in days)
        {
            var source = _layout.GetDateDirectory(StorageArea.Raw, date);
            if (!_fileSystem.Directory.Exists(source))
            {
                continue;
            }

            var exclude = await WasWrittenByMigrationAsync(source, manifestWritten, cancellationToken)
                ? new HashSet<string> { DownloadManifest.FileName }
                : null;
            var destination = _fileSystem.Path.Combine(target, LegacySourceDetector.RawFolderName, date.ToString());

            // A day whose old manifest migration kept aside gets it back under its own name.
            var renames = exclude is not null && _fileSystem.File.Exists(_fileSystem.Path.Combine(source, DownloadManifest.LegacyFileName))
                ? new Dictionary<string, string> { [DownloadManifest.LegacyFileName] = DownloadManifest.FileName }
                : null;
            var (action, files) = await _comparer.CompareDirectoryAsync(source, destination, exclude, new HashSet<string>(), cancellationToken, renames);
            partitions.Add(new PlannedPartition(date, source, destination, action, files, exclude is null));
        }

        var areaFiles = new List<PlannedAreaFile>();
        foreach (var entry in journal?.Entries.Where(e => e.Kind is JournalEntryKind.Reports or JournalEntryKind.Metadata && e.Outcome is JournalOutcome.Copied or JournalOutcome.Skipped) ?? [])
        {
            var area = entry.Kind == JournalEntryKind.Reports ? StorageArea.Reports : StorageArea.Metadata;
            var source = _fileSystem.Path.Combine(_layout.GetAreaPath(area), entry.Name);
            if (!_fileSystem.File.Exists(source))
            {
                continue;
            }

            var destination = _fileSystem.Path.Combine(target, area.GetFolderName(), entry.Name);
            var file = await _comparer.CompareFileAsync(entry.Name, source, _fileSystem.FileInfo.New(source).Length, destination, missingIsConflict: false, cancellationToken);
            areaFiles.Add(new PlannedAreaFile(area, source, destination, file));
        }

        return new MigrationPlan(_layout.Root, target, partitions, areaFiles, []);
    }

    /// <summary>Copies migrated days back into <paramref name="to"/> (or, with <paramref name="dryRun"/>, only plans).</summary>
    public async Task<MigrationResult> RollbackAsync(
        string to, bool dryRun, IProgress<OperationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        if (dryRun)
        {
            return new MigrationResult(Operation, true, await PlanAsync(to, cancellationToken), null, [], []);
        }

        var target = ResolveTarget(to);
        await using var held = await _storeLock.AcquireAsync(Operation, cancellationToken);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.LostToken);
        var staging = _fileSystem.Path.Combine(target, ".staging");
        var plan = await PlanAsync(to, work.Token);
        FreeSpace.EnsureRoom(_fileSystem, target, plan.BytesToCopy, $"Rolling back {Quantity.Of(plan.FilesToCopy, "file")}");
        var journal = JournalPaths.NewJournalPath(_layout, _fileSystem, _timeProvider);
        try
        {
            return await _engine.ExecuteAsync(held, Operation, plan, staging, journal, finish: null, deleteSource: false, progress, work.Token);
        }
        finally
        {
            if (_fileSystem.Directory.Exists(staging) && !_fileSystem.Directory.EnumerateFileSystemEntries(staging).Any())
            {
                _fileSystem.Directory.Delete(staging);
            }
        }
    }

    /// <summary>
    /// The legacy data folder to write into. Like <c>migrate --from</c>, it may be given as the data folder or as
    /// its <c>kaggle_raw</c> folder; both mean the same, so the days never land in <c>kaggle_raw/kaggle_raw</c>.
    /// </summary>
    /// <remarks>
    /// Refused when the store is missing, or when the folder or what rollback writes under it (<c>kaggle_raw</c>
    /// and its days, <c>reports</c>, <c>metadata</c>, <c>.staging</c>) resolves into the store: a rollback into the
    /// store would plant a <c>kaggle_raw/</c> tree among its areas.
    /// </remarks>
    private string ResolveTarget(string to)
    {
        _layout.EnsureExists();
        var given = _fileSystem.Path.TrimEndingDirectorySeparator(_fileSystem.Path.GetFullPath(to));
        var target = string.Equals(_fileSystem.Path.GetFileName(given), LegacySourceDetector.RawFolderName, StringComparison.Ordinal)
            ? _fileSystem.Path.GetDirectoryName(given)!
            : given;
        var raw = _fileSystem.Path.Combine(target, LegacySourceDetector.RawFolderName);
        var within = new List<string?>
        {
            raw,
            _fileSystem.Path.Combine(target, "reports"),
            _fileSystem.Path.Combine(target, "metadata"),
            _fileSystem.Path.Combine(target, ".staging"),
        };
        if (_fileSystem.Directory.Exists(raw))
        {
            within.AddRange(_fileSystem.Directory.EnumerateFileSystemEntries(raw));
        }

        _boundary.EnsureApart("The rollback target", given, within);
        return target;
    }

    private async Task<MigrationJournal?> FindNewestMigrationAsync(CancellationToken cancellationToken)
    {
        foreach (var path in JournalPaths.NewestFirst(_layout, _fileSystem))
        {
            try
            {
                var journal = await _manifests.ReadAsync<MigrationJournal>(path, cancellationToken);
                if (journal.Operation == MigrationService.Operation)
                {
                    return journal;
                }
            }
            catch (ManifestFormatException)
            {
                // A damaged journal is skipped; an older one, or the raw area itself, still tells what to restore.
            }
        }

        return null;
    }

    private async Task<bool> WasWrittenByMigrationAsync(string partition, bool? recorded, CancellationToken cancellationToken)
    {
        if (recorded is { } known)
        {
            return known;
        }

        try
        {
            var manifest = await _manifests.TryReadAsync<DownloadManifest>(_fileSystem.Path.Combine(partition, DownloadManifest.FileName), cancellationToken);
            return manifest?.Source.StartsWith("migrated:", StringComparison.Ordinal) == true;
        }
        catch (ManifestFormatException)
        {
            return false;
        }
    }
}
