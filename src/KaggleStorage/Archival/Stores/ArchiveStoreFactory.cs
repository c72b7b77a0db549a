using System.IO.Abstractions;
using KaggleStorage.Layout;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Archival;

/// <summary>
/// The archive store that <c>KaggleStorage:Archive:Store</c> names. The one place that knows the kinds: everything
/// else asks the store it is given (its location, whether its bytes are on the store's volume).
/// </summary>
internal static class ArchiveStoreFactory
{
    public static IArchiveStore Create(ArchiveOptions options, StorageLayout layout, IFileSystem fileSystem, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return options.Store switch
        {
            ArchiveStoreKind.S3 => new S3ArchiveStore(S3ArchiveStore.CreateClient(options.S3), options.S3, loggerFactory.CreateLogger<S3ArchiveStore>()),
            _ => new FileSystemArchiveStore(layout, fileSystem),
        };
    }
}
