using System.IO.Abstractions;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Hosting;

/// <summary>The shared floor: documents, the manifest verifier and the store lock (they have no options of their own).</summary>
internal static class ManifestsRegistration
{
    public static IServiceCollection AddStoreManifestsAndLock(this IServiceCollection services)
    {
        services.TryAddSingleton(p => new ManifestStore(p.GetRequiredService<IFileSystem>()));
        services.TryAddSingleton(p => new FileFingerprinter(p.GetRequiredService<IFileSystem>()));
        services.TryAddSingleton(p => new DownloadManifestVerifier(
            p.GetRequiredService<IFileSystem>(), p.GetRequiredService<ManifestStore>(), p.GetRequiredService<FileFingerprinter>()));
        services.TryAddSingleton(p => new StoreLock(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<TimeProvider>(),
            p.GetRequiredService<IOptions<KaggleStorageOptions>>(),
            p.GetRequiredService<ILogger<StoreLock>>()));
        return services;
    }
}
