using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Samples.Api;

/// <summary>What the API tells about the store's days.</summary>
internal static class PartitionCatalog
{
    /// <summary>
    /// Every day of raw, processed and the archive store. Archived days come from the archive store, which may be a
    /// bucket rather than the volume's <c>archive/</c> folder.
    /// </summary>
    public static async Task<IReadOnlyList<PartitionEntry>> ListAsync(StorageLayout layout, IArchiveStore archives, CancellationToken cancellationToken)
    {
        var raw = layout.ListDays(StorageArea.Raw).ToHashSet();
        var processed = layout.ListDays(StorageArea.Processed).ToHashSet();
        var archived = (await archives.ListArchivedDaysAsync(cancellationToken)).ToHashSet();
        return raw.Concat(processed).Concat(archived).Distinct().Order()
            .Select(day => new PartitionEntry(day, raw.Contains(day), processed.Contains(day), archived.Contains(day)))
            .ToList();
    }

    public static async Task<PartitionDetails?> DetailsAsync(StorageLayout layout, ManifestStore manifests, PartitionDate day, CancellationToken cancellationToken)
    {
        var raw = layout.GetDateDirectory(StorageArea.Raw, day);
        var processed = layout.GetDateDirectory(StorageArea.Processed, day);
        if (!Directory.Exists(raw) && !Directory.Exists(processed))
        {
            return null;
        }

        return new PartitionDetails(
            day,
            await manifests.TryReadAsync<DownloadManifest>(Path.Combine(raw, DownloadManifest.FileName), cancellationToken),
            await manifests.TryReadAsync<LoadSummary>(Path.Combine(processed, LoadSummary.FileName), cancellationToken),
            await manifests.TryReadAsync<ValidationReport>(Path.Combine(processed, ValidationReport.FileName), cancellationToken));
    }

    /// <summary>A single name inside the partition: no separators, no dot segments, nothing rooted or hidden.</summary>
    public static bool IsPlainFileName(string name) =>
        name.Length > 0
        && name.IndexOfAny(['/', '\\', '\0', ':']) < 0
        && !name.StartsWith('.')
        && !Path.IsPathRooted(name);
}

internal sealed record PartitionEntry(PartitionDate Date, bool HasRaw, bool HasProcessed, bool Archived);

internal sealed record PartitionDetails(PartitionDate Date, DownloadManifest? DownloadManifest, LoadSummary? LoadSummary, ValidationReport? ValidationReport);
