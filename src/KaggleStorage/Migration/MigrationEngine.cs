using KaggleStorage.Layout;
using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;

namespace KaggleStorage.Migration;

/// <summary>
/// Carries out a <see cref="MigrationPlan"/> for migration and rollback alike: each day is copied into a staged
/// folder on the destination's volume (verified file by file), finished (e.g. given a manifest), and published
/// through the store lock's staged-write sequence; so is each report or metadata file and the journal, which is
/// rewritten after every step. Whatever fails, the staged folder is removed and the source is never touched
/// (except by <c>deleteSource</c>, and only after verification).
/// </summary>
internal sealed class MigrationEngine(
    IFileSystem fileSystem, FileFingerprinter fingerprinter, ManifestStore manifests, TimeProvider timeProvider, StoreBoundary boundary)
{
    private readonly VerifiedFileCopier _copier = new(fileSystem, fingerprinter);

    /// <summary>Called with a day's staged copy before it is published; returns whether it wrote a manifest, and problems.</summary>
    public delegate Task<(bool ManifestWritten, IReadOnlyList<string> Problems)> FinishPartition(
        PlannedPartition partition, string stagingDirectory, IReadOnlyList<ManifestFile> copied, CancellationToken cancellationToken);

    private const string Copying = "copying";

    /// <param name="held">The store lock, through which everything is published.</param>
    /// <param name="operation">Migrate or rollback, as named in the journal.</param>
    /// <param name="plan">What to do.</param>
    /// <param name="stagingRoot">A staging folder on the destination's volume, or null for the store's own.</param>
    /// <param name="journalPath">Where the journal goes.</param>
    /// <param name="finish">Called with each staged day before it is published.</param>
    /// <param name="deleteSource">Delete each source day once its copy is verified.</param>
    /// <param name="progress">Files and bytes.</param>
    /// <param name="cancellationToken">Stops after the current file; nothing partial is published.</param>
    public async Task<MigrationResult> ExecuteAsync(
        StoreLockHandle held,
        string operation,
        MigrationPlan plan,
        string? stagingRoot,
        string journalPath,
        FinishPartition? finish,
        bool deleteSource,
        IProgress<OperationProgress>? progress,
        CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        var problems = new List<string>();
        var started = timeProvider.GetUtcNow();
        var tracker = new ProgressTracker(plan, progress);
        progress?.Report(new OperationProgress(Copying, 0, plan.BytesToCopy, 0, plan.FilesToCopy) { Lines = MigrationWording.Plan(operation, plan, dryRun: false) });
        entries.AddRange(plan.Strays.Select(stray => new JournalEntry(JournalEntryKind.Stray, stray.Path, JournalOutcome.Skipped, [], Error: stray.Reason)));

        StagedDirectory Stage(string purpose) =>
            stagingRoot is null ? held.CreateStagedDirectory(purpose) : held.CreateStagedDirectoryIn(stagingRoot, purpose);

        Task WriteJournalAsync(string outcome, bool completed) => held.WriteFileAsync(
            journalPath,
            (stream, token) => manifests.SerializeAsync(stream, new MigrationJournal
            {
                Operation = operation,
                Source = plan.Source,
                Destination = plan.Destination,
                StartedAtUtc = started,
                CompletedAtUtc = completed ? timeProvider.GetUtcNow() : null,
                Outcome = outcome,
                Entries = entries,
            }, token),
            CancellationToken.None);

        await WriteJournalAsync("running", completed: false);
        try
        {
            foreach (var partition in plan.Partitions)
            {
                var name = partition.Date.ToString();
                switch (partition.Action)
                {
                    case MigrationAction.Conflict:
                        var why = string.Join("; ", partition.Files.Where(f => f.Action == MigrationAction.Conflict).Select(f => $"{f.Name}: {f.Reason}"));
                        problems.Add($"{partition.Destination} exists and differs from {partition.Source}, left as it is ({why})");
                        entries.Add(new JournalEntry(JournalEntryKind.Day, name, JournalOutcome.Conflict, [], Error: why));
                        break;
                    case MigrationAction.Refused:
                        var refused = string.Join("; ", partition.Files.Select(f => f.Name));
                        problems.Add($"{partition.Source} was refused: {refused}");
                        entries.Add(new JournalEntry(JournalEntryKind.Day, name, JournalOutcome.Refused, [], Error: refused));
                        break;
                    case MigrationAction.Skip:
                        var deleted = deleteSource && DeleteSource(partition, problems);
                        entries.Add(new JournalEntry(
                            JournalEntryKind.Day, name, JournalOutcome.Skipped,
                            partition.Files.Select(f => new ManifestFile(f.Name, f.SizeBytes, f.Sha256 ?? string.Empty, null)).ToList(),
                            SourceDeleted: deleted));
                        break;
                    default:
                        await using (var staged = Stage($"{operation}-{name}"))
                        {
                            var copied = await CopyPartitionAsync(partition, staged.Path, tracker, cancellationToken);
                            var (manifestWritten, finishProblems) = finish is null
                                ? (false, (IReadOnlyList<string>)[])
                                : await finish(partition, staged.Path, copied, cancellationToken);
                            problems.AddRange(finishProblems);
                            if (fileSystem.Directory.Exists(partition.Destination))
                            {
                                problems.Add($"{partition.Destination} appeared while {name} was being copied; left as it is");
                                entries.Add(new JournalEntry(JournalEntryKind.Day, name, JournalOutcome.Conflict, copied, Error: "destination appeared during the copy"));
                                break;
                            }

                            await staged.PublishAsync(partition.Destination, cancellationToken);
                            var sourceDeleted = deleteSource && DeleteSource(partition, problems);
                            entries.Add(new JournalEntry(JournalEntryKind.Day, name, JournalOutcome.Copied, copied, manifestWritten, sourceDeleted,
                                finishProblems.Count > 0 ? string.Join("; ", finishProblems) : null));
                        }

                        break;
                }

                await WriteJournalAsync("running", completed: false);
                tracker.Completed(entries[^1]);
            }

            foreach (var file in plan.AreaFiles)
            {
                entries.Add(await CopyAreaFileAsync(Stage, file, problems, tracker, cancellationToken));
            }

            await WriteJournalAsync(problems.Count == 0 ? "succeeded" : "completedWithProblems", completed: true);
            return new MigrationResult(operation, false, plan, journalPath, entries, problems);
        }
        catch (OperationCanceledException)
        {
            await WriteJournalAsync("cancelled", completed: true);
            throw;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StorageOperationException)
        {
            await WriteJournalAsync("failed", completed: true);
            throw exception is StorageOperationException
                ? exception
                : new StorageOperationException($"{operation} stopped: {exception.Message} Nothing partial was published; the source is untouched.", exception);
        }
    }

    private async Task<IReadOnlyList<ManifestFile>> CopyPartitionAsync(
        PlannedPartition partition, string staging, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var copied = new List<ManifestFile>();
        foreach (var file in partition.Files)
        {
            var target = fileSystem.Path.Combine(staging, file.TargetName);
            fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(target)!);
            tracker.Start(file.Name);
            copied.Add(await _copier.CopyAsync(fileSystem.Path.Combine(partition.Source, file.Name), target, file.Name, tracker.Add, cancellationToken));
            tracker.FileDone();
        }

        return copied;
    }

    private async Task<JournalEntry> CopyAreaFileAsync(
        Func<string, StagedDirectory> stage, PlannedAreaFile file, List<string> problems, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var kind = file.Area == StorageArea.Reports ? JournalEntryKind.Reports : JournalEntryKind.Metadata;
        switch (file.File.Action)
        {
            case MigrationAction.Conflict:
                problems.Add($"{file.Destination} exists and differs from {file.Source}, left as it is");
                return new JournalEntry(kind, file.File.Name, JournalOutcome.Conflict, [], Error: file.File.Reason);
            case MigrationAction.Skip:
                return new JournalEntry(kind, file.File.Name, JournalOutcome.Skipped, [new ManifestFile(file.File.Name, file.File.SizeBytes, file.File.Sha256 ?? string.Empty, null)]);
        }

        await using var staged = stage($"{file.Area.GetFolderName()}-file");
        const string Part = "file";
        tracker.Start(file.File.Name);
        var copied = await _copier.CopyAsync(file.Source, fileSystem.Path.Combine(staged.Path, Part), file.File.Name, tracker.Add, cancellationToken);
        tracker.FileDone();
        if (fileSystem.File.Exists(file.Destination))
        {
            problems.Add($"{file.Destination} appeared while it was being copied; left as it is");
            return new JournalEntry(kind, file.File.Name, JournalOutcome.Conflict, [copied], Error: "destination appeared during the copy");
        }

        await staged.PublishPartAsync(Part, file.Destination, _ => false, cancellationToken);
        return new JournalEntry(kind, file.File.Name, JournalOutcome.Copied, [copied]);
    }

    /// <summary>
    /// Deletes from the source day exactly the files this run copied or proved identical, then the folders they
    /// leave empty. A file that appeared or changed size since the plan is kept and named, and nothing is deleted
    /// from a source that resolves into the store (the plan refuses such a source; this is the last line).
    /// </summary>
    /// <returns>Whether the source day is gone.</returns>
    private bool DeleteSource(PlannedPartition partition, List<string> problems)
    {
        if (boundary.Overlaps(partition.Source))
        {
            problems.Add($"{partition.Source} resolves into the store; not deleted");
            return false;
        }

        var kept = new List<string>();
        foreach (var file in partition.Files)
        {
            var path = fileSystem.Path.Combine(partition.Source, file.Name);
            var info = fileSystem.FileInfo.New(path);
            if (info.Exists && info.LinkTarget is null && info.Length == file.SizeBytes)
            {
                fileSystem.File.Delete(path);
            }
            else if (info.Exists || info.LinkTarget is not null)
            {
                kept.Add(file.Name);
            }
        }

        RemoveEmptyFolders(partition.Source);
        if (!fileSystem.Directory.Exists(partition.Source))
        {
            return true;
        }

        var left = fileSystem.Directory.EnumerateFileSystemEntries(partition.Source, "*", SearchOption.AllDirectories)
            .Where(entry => !fileSystem.Directory.Exists(entry) || fileSystem.FileInfo.New(entry).LinkTarget is not null)
            .Select(entry => fileSystem.Path.GetRelativePath(partition.Source, entry))
            .Concat(kept)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        problems.Add(
            $"{partition.Source} was not deleted whole: {left.Count} entr(ies) there were not copied in this run and are kept, e.g. {(left.Count > 0 ? left[0] : "(none)")}");
        return false;
    }

    /// <summary>Removes the empty folders under and including <paramref name="directory"/>, deepest first; never follows links.</summary>
    private void RemoveEmptyFolders(string directory)
    {
        if (!fileSystem.Directory.Exists(directory) || fileSystem.FileInfo.New(directory).LinkTarget is not null)
        {
            return;
        }

        foreach (var child in fileSystem.Directory.EnumerateDirectories(directory).ToList())
        {
            RemoveEmptyFolders(child);
        }

        if (!fileSystem.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            fileSystem.Directory.Delete(directory);
        }
    }

    private sealed class ProgressTracker(MigrationPlan plan, IProgress<OperationProgress>? progress)
    {
        private readonly int _filesTotal = plan.FilesToCopy;
        private readonly long _bytesTotal = plan.BytesToCopy;
        private int _filesDone;
        private long _bytesDone;
        private string _current = string.Empty;

        public void Start(string name) => _current = name;

        public void Add(long bytes)
        {
            _bytesDone += bytes;
            Report();
        }

        public void FileDone()
        {
            _filesDone++;
            Report();
        }

        public void Completed(JournalEntry entry) =>
            progress?.Report(new OperationProgress(Copying, _bytesDone, _bytesTotal, _filesDone, _filesTotal, _current) { Lines = [MigrationWording.Completed(entry)] });

        private void Report()
        {
            if (progress is null)
            {
                return;
            }

            progress.Report(new OperationProgress(Copying, _bytesDone, _bytesTotal, _filesDone, _filesTotal, _current));
        }
    }
}
