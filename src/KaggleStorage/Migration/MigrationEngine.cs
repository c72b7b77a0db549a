using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.Manifests;

namespace KaggleStorage.Migration;

/// <summary>
/// Carries out a <see cref="MigrationPlan"/> for migration and rollback alike: each day is copied into a staging
/// folder on the destination's volume (verified file by file), finished (e.g. given a manifest), and published by
/// one rename; each report or metadata file goes through a hidden temporary name. The journal is rewritten after
/// every step. Whatever fails, the staging folder is removed and the source is never touched (except by
/// <c>deleteSource</c>, and only after verification).
/// </summary>
internal sealed class MigrationEngine(IFileSystem fileSystem, FileFingerprinter fingerprinter, ManifestStore manifests, TimeProvider timeProvider)
{
    private readonly VerifiedFileCopier _copier = new(fileSystem, fingerprinter);

    /// <summary>Called with a day's staged copy before it is published; returns whether it wrote a manifest, and problems.</summary>
    public delegate Task<(bool ManifestWritten, IReadOnlyList<string> Problems)> FinishPartition(
        PlannedPartition partition, string stagingDirectory, IReadOnlyList<ManifestFile> copied, CancellationToken cancellationToken);

    public async Task<MigrationResult> ExecuteAsync(
        string operation,
        MigrationPlan plan,
        string stagingRoot,
        string journalPath,
        FinishPartition? finish,
        bool deleteSource,
        IProgress<MigrationProgress>? progress,
        CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        var problems = new List<string>();
        var started = timeProvider.GetUtcNow();
        var tracker = new ProgressTracker(plan, progress, timeProvider);
        string? staging = null;

        Task WriteJournalAsync(string outcome, bool completed) => manifests.WriteAsync(
            journalPath,
            new MigrationJournal
            {
                Operation = operation,
                Source = plan.Source,
                Destination = plan.Destination,
                StartedAtUtc = started,
                CompletedAtUtc = completed ? timeProvider.GetUtcNow() : null,
                Outcome = outcome,
                Entries = entries,
            },
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
                        entries.Add(new JournalEntry("partition", name, "conflict", [], Error: why));
                        break;
                    case MigrationAction.Skip:
                        var deleted = deleteSource && DeleteSource(partition.Source);
                        entries.Add(new JournalEntry(
                            "partition", name, "skipped",
                            partition.Files.Select(f => new ManifestFile(f.Name, f.SizeBytes, f.Sha256 ?? string.Empty, null)).ToList(),
                            SourceDeleted: deleted));
                        break;
                    default:
                        staging = fileSystem.Path.Combine(stagingRoot, $"{operation}-{name}-{Guid.NewGuid():N}");
                        var copied = await CopyPartitionAsync(partition, staging, tracker, cancellationToken);
                        var (manifestWritten, finishProblems) = finish is null
                            ? (false, (IReadOnlyList<string>)[])
                            : await finish(partition, staging, copied, cancellationToken);
                        problems.AddRange(finishProblems);
                        if (fileSystem.Directory.Exists(partition.Destination))
                        {
                            problems.Add($"{partition.Destination} appeared while {name} was being copied; left as it is");
                            entries.Add(new JournalEntry("partition", name, "conflict", copied, Error: "destination appeared during the copy"));
                            break;
                        }

                        fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(partition.Destination)!);
                        fileSystem.Directory.Move(staging, partition.Destination);
                        staging = null;
                        var sourceDeleted = deleteSource && DeleteSource(partition.Source);
                        entries.Add(new JournalEntry("partition", name, "copied", copied, manifestWritten, sourceDeleted,
                            finishProblems.Count > 0 ? string.Join("; ", finishProblems) : null));
                        break;
                }

                if (staging is not null)
                {
                    DeleteDirectory(staging);
                    staging = null;
                }

                await WriteJournalAsync("running", completed: false);
            }

            foreach (var file in plan.AreaFiles)
            {
                entries.Add(await CopyAreaFileAsync(file, problems, tracker, cancellationToken));
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
        finally
        {
            if (staging is not null)
            {
                DeleteDirectory(staging);
            }
        }
    }

    private async Task<IReadOnlyList<ManifestFile>> CopyPartitionAsync(
        PlannedPartition partition, string staging, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var copied = new List<ManifestFile>();
        foreach (var file in partition.Files)
        {
            var target = fileSystem.Path.Combine(staging, file.Name);
            fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(target)!);
            tracker.Start(file.Name);
            copied.Add(await _copier.CopyAsync(fileSystem.Path.Combine(partition.Source, file.Name), target, file.Name, tracker.Add, cancellationToken));
            tracker.FileDone();
        }

        return copied;
    }

    private async Task<JournalEntry> CopyAreaFileAsync(
        PlannedAreaFile file, List<string> problems, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var kind = file.Area.ToString().ToLowerInvariant();
        switch (file.File.Action)
        {
            case MigrationAction.Conflict:
                problems.Add($"{file.Destination} exists and differs from {file.Source}, left as it is");
                return new JournalEntry(kind, file.File.Name, "conflict", [], Error: file.File.Reason);
            case MigrationAction.Skip:
                return new JournalEntry(kind, file.File.Name, "skipped", [new ManifestFile(file.File.Name, file.File.SizeBytes, file.File.Sha256 ?? string.Empty, null)]);
        }

        var directory = fileSystem.Path.GetDirectoryName(file.Destination)!;
        fileSystem.Directory.CreateDirectory(directory);
        var temporary = fileSystem.Path.Combine(directory, $".{fileSystem.Path.GetFileName(file.Destination)}.{Guid.NewGuid():N}.tmp");
        try
        {
            tracker.Start(file.File.Name);
            var copied = await _copier.CopyAsync(file.Source, temporary, file.File.Name, tracker.Add, cancellationToken);
            tracker.FileDone();
            if (fileSystem.File.Exists(file.Destination))
            {
                problems.Add($"{file.Destination} appeared while it was being copied; left as it is");
                return new JournalEntry(kind, file.File.Name, "conflict", [copied], Error: "destination appeared during the copy");
            }

            fileSystem.File.Move(temporary, file.Destination);
            return new JournalEntry(kind, file.File.Name, "copied", [copied]);
        }
        finally
        {
            if (fileSystem.File.Exists(temporary))
            {
                fileSystem.File.Delete(temporary);
            }
        }
    }

    private bool DeleteSource(string directory)
    {
        DeleteDirectory(directory);
        return true;
    }

    private void DeleteDirectory(string directory)
    {
        if (fileSystem.Directory.Exists(directory))
        {
            fileSystem.Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class ProgressTracker(MigrationPlan plan, IProgress<MigrationProgress>? progress, TimeProvider timeProvider)
    {
        private readonly long _started = timeProvider.GetTimestamp();
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

        private void Report()
        {
            if (progress is null)
            {
                return;
            }

            var seconds = timeProvider.GetElapsedTime(_started).TotalSeconds;
            progress.Report(new MigrationProgress(_filesDone, _filesTotal, _bytesDone, _bytesTotal, seconds > 0 ? _bytesDone / seconds : 0, _current));
        }
    }
}
