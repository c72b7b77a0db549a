using System.IO.Abstractions;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>
/// Reads and writes <see cref="ScrubRecord"/> and answers, for an archive and its index, when it was last proven.
/// An archive that no scrub has read yet is proven by its read-back when it was written (its index's
/// <see cref="ArchiveIndex.CreatedAtUtc"/>), so the record needs no entry until the first scrub.
/// </summary>
internal sealed class ScrubLedger(StorageLayout layout, IFileSystem fileSystem, ManifestStore manifests)
{
    /// <summary>Where the record lives: no date in its name, so retention dates it by its last write, which each scrub refreshes.</summary>
    public string RecordPath => fileSystem.Path.Combine(layout.GetAreaPath(StorageArea.Metadata), "scrub", "archives.json");

    /// <summary>The record, empty when there is none yet.</summary>
    /// <exception cref="ManifestFormatException">The record exists but does not read.</exception>
    public async Task<ScrubRecord> ReadAsync(CancellationToken cancellationToken) =>
        await manifests.TryReadAsync<ScrubRecord>(RecordPath, cancellationToken) ?? new ScrubRecord { Archives = [] };

    /// <summary>What the record knows of the archive that <paramref name="index"/> describes.</summary>
    public static ArchiveProof ProofOf(ScrubRecord record, PartitionDate day, ArchiveIndex? index)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entry = record.Archives.LastOrDefault(item => item.Day == day && item.Describes(index));
        return entry is null
            ? new ArchiveProof(index?.CreatedAtUtc, index?.CreatedAtUtc, false, [])
            : new ArchiveProof(entry.VerifiedAtUtc, entry.LastPassedAtUtc ?? index?.CreatedAtUtc, !entry.Passed, entry.Problems);
    }

    /// <summary>
    /// Writes the record with <paramref name="readings"/> in place of the earlier entries of their days, keeping
    /// only days that still have anything of an archive; staged and renamed under the lock.
    /// </summary>
    public async Task WriteAsync(
        StoreLockHandle held, ScrubRecord earlier, IReadOnlyCollection<ScrubRecordEntry> readings, IReadOnlySet<PartitionDate> daysWithArchives,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        var read = readings.Select(entry => entry.Day).ToHashSet();
        var entries = earlier.Archives
            .Where(entry => !read.Contains(entry.Day))
            .Concat(readings)
            .Where(entry => daysWithArchives.Contains(entry.Day))
            .OrderBy(entry => entry.Day)
            .ToList();
        var record = earlier with { SchemaVersion = ScrubRecord.CurrentSchemaVersion, Archives = entries };
        await held.WriteFileAsync(RecordPath, (stream, token) => manifests.SerializeAsync(stream, record, token), cancellationToken);
    }
}
