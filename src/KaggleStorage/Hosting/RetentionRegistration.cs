using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Hosting;

/// <summary>Retention: the policy per area and prune, which archives and verifies before it deletes.</summary>
internal static class RetentionRegistration
{
    public static IServiceCollection AddStoreRetention(this IServiceCollection services, IConfiguration? configuration)
    {
        OptionsSection.Add<RetentionOptions, RetentionOptionsValidator>(services, configuration, RetentionOptions.SectionName);
        services.TryAddSingleton(p => new RetentionPlanner(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<StoreCalendar>(),
            p.GetRequiredService<IOptions<RetentionOptions>>(),
            p.GetRequiredService<IArchiveStore>()));
        services.TryAddSingleton(p => new PruneService(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<StoreLock>(),
            p.GetRequiredService<RetentionPlanner>(),
            p.GetRequiredService<PartitionArchiver>(),
            p.GetRequiredService<ArchiveVerifier>(),
            p.GetRequiredService<IArchiveStore>(),
            p.GetRequiredService<DownloadManifestVerifier>(),
            p.GetRequiredService<ILogger<PruneService>>()));
        return services;
    }
}
