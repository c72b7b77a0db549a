using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Retention;
using KaggleStorage.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Hosting;

/// <summary>Status: the scan behind <c>status</c> and the health rules of its check.</summary>
internal static class StatusRegistration
{
    public static IServiceCollection AddStoreStatus(this IServiceCollection services, IConfiguration? configuration)
    {
        OptionsSection.Add<HealthOptions, HealthOptionsValidator>(services, configuration, HealthOptions.SectionName);
        services.TryAddSingleton(p => new StoreStatusScanner(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<DownloadManifestVerifier>(),
            p.GetRequiredService<StoreLock>(),
            p.GetRequiredService<RetentionPlanner>(),
            p.GetRequiredService<StoreCalendar>(),
            p.GetRequiredService<IOptions<RetentionOptions>>(),
            p.GetRequiredService<IOptions<HealthOptions>>(),
            p.GetRequiredService<IArchiveStore>(),
            p.GetRequiredService<PartitionArchiver>(),
            p.GetRequiredService<ScrubLedger>(),
            p.GetRequiredService<ManifestStore>()));
        return services;
    }
}
