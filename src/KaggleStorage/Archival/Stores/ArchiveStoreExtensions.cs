using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>Reads shared by the services that use an <see cref="IArchiveStore"/>.</summary>
internal static class ArchiveStoreExtensions
{
    /// <summary>The day's index, or null when it has none.</summary>
    /// <exception cref="ManifestFormatException">The index exists but does not read as one.</exception>
    public static async Task<ArchiveIndex?> TryReadIndexAsync(
        this IArchiveStore store, ManifestStore manifests, PartitionDate date, CancellationToken cancellationToken)
    {
        var name = ArchiveNames.Index(date);
        var info = await store.GetInfoAsync(name, cancellationToken);
        if (info is null)
        {
            return null;
        }

        if (info.IsFolder)
        {
            throw new ManifestFormatException(store.Describe(name), "it is a folder, not a file");
        }

        await using var stream = await store.OpenReadAsync(name, cancellationToken);
        return await manifests.ReadFromAsync<ArchiveIndex>(stream, store.Describe(name), cancellationToken);
    }

    /// <summary>The SHA-256 of an object, streamed.</summary>
    public static async Task<string> HashAsync(this IArchiveStore store, string name, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(name, cancellationToken);
        return await Sha256Hasher.HashAsync(stream, cancellationToken);
    }
}
