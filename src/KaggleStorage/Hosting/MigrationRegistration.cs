using System.IO.Abstractions;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Migration;
using KaggleStorage.Retention;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Hosting;

/// <summary>Migration from the legacy layout and rollback into it (no options of their own; the plan reads retention's).</summary>
internal static class MigrationRegistration
{
    public static IServiceCollection AddStoreMigration(this IServiceCollection services)
    {
        services.TryAddSingleton(p => new MigrationService(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<StoreLock>(),
            p.GetRequiredService<FileFingerprinter>(),
            p.GetRequiredService<ManifestStore>(),
            p.GetRequiredService<TimeProvider>(),
            p.GetRequiredService<IOptions<KaggleStorageOptions>>(),
            p.GetRequiredService<IOptions<RetentionOptions>>()));
        services.TryAddSingleton(p => new RollbackService(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<StoreLock>(),
            p.GetRequiredService<FileFingerprinter>(),
            p.GetRequiredService<ManifestStore>(),
            p.GetRequiredService<TimeProvider>()));
        return services;
    }
}
