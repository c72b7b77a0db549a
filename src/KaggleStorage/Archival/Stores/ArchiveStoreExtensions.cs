using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>Reads of an <see cref="IArchiveStore"/> that the services that use one share.</summary>
internal static class ArchiveStoreExtensions
{
    /// <summary>The day's index, or null when it has none.</summary>
    /// <exception cref="ManifestFormatException">The index exists but does not read as one.</exception>
    internal static async Task<ArchiveIndex?> TryReadIndexAsync(
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
    internal static async Task<string> HashAsync(this IArchiveStore store, string name, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(name, cancellationToken);
        return await Sha256Hasher.HashAsync(stream, cancellationToken);
    }
}
