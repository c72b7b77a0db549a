using System.IO.Abstractions;
using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>
/// The archive store that <c>KaggleStorage:Archive:Store</c> names. The one place that maps the kinds to stores: the
/// file system store is the library's own, every other comes from its package's <see cref="ArchiveStoreProvider"/>.
/// Everything else asks the store it is given (its location, whether its bytes are on the store's volume).
/// </summary>
internal static class ArchiveStoreFactory
{

    public static IArchiveStore Create(
        ArchiveOptions options, IEnumerable<ArchiveStoreProvider> providers, IServiceProvider services, StorageLayout layout, IFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(providers);
        if (options.Store == ArchiveStoreKind.FileSystem)
        {
            return new FileSystemArchiveStore(layout, fileSystem);
        }

        // Start-up validation reports a missing provider first; this is the same sentence for a host that skips it.
        var provider = providers.LastOrDefault(p => p.Kind == options.Store)
            ?? throw new InvalidOperationException(MissingProvider(options.Store));
        return provider.Create(services);
    }

    /// <summary>The one line that says which package and call a configured store needs.</summary>
    public static string MissingProvider(ArchiveStoreKind kind) => kind switch
    {
        ArchiveStoreKind.S3 => "KaggleStorage:Archive:Store is s3, but the S3 archive store is not registered: "
            + "reference the KaggleStorage.S3 package and call services.AddKaggleStorageS3(configuration).",
        _ => $"KaggleStorage:Archive:Store '{kind}' has no archive store registered.",
    };
}
