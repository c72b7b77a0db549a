using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Hosting;

/// <summary>Archival: the archive store (the folder, or one a package provides), archive, verify, restore, scrub, reading a day's files, and where a day lives.</summary>
internal static class ArchivalRegistration
{
    public static IServiceCollection AddStoreArchival(this IServiceCollection services, IConfiguration? configuration)
    {
        OptionsSection.Add<ArchiveOptions, ArchiveOptionsValidator>(services, configuration, ArchiveOptions.SectionName);
        OptionsSection.Add<ScrubOptions, ScrubOptionsValidator>(services, configuration, ScrubOptions.SectionName);

        // A store from another package (S3) is one more ArchiveStoreProvider, added by that package's Add… call.
        services.TryAddSingleton(p => ArchiveStoreFactory.Create(
            p.GetRequiredService<IOptions<ArchiveOptions>>().Value,
            p.GetServices<ArchiveStoreProvider>(),
            p,
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>()));
        services.TryAddSingleton(p => new PartitionArchiver(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<ManifestStore>(),
            p.GetRequiredService<TimeProvider>(),
            p.GetRequiredService<IArchiveStore>(),
            p.GetRequiredService<DownloadManifestVerifier>()));
        services.TryAddSingleton(p => new ArchiveVerifier(
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<ManifestStore>(),
            p.GetRequiredService<PartitionArchiver>(),
            p.GetRequiredService<IArchiveStore>()));
        services.TryAddSingleton(p => new ScrubLedger(
            p.GetRequiredService<StorageLayout>(), p.GetRequiredService<IFileSystem>(), p.GetRequiredService<ManifestStore>()));
        services.TryAddSingleton(p => new ArchiveService(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<StoreCalendar>(),
            p.GetRequiredService<StoreLock>(),
            p.GetRequiredService<PartitionArchiver>(),
            p.GetRequiredService<IArchiveStore>(),
            p.GetRequiredService<ILogger<ArchiveService>>()));
        services.TryAddSingleton(p => new VerifyService(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<DownloadManifestVerifier>(),
            p.GetRequiredService<ArchiveVerifier>(),
            p.GetRequiredService<PartitionArchiver>(),
            p.GetRequiredService<StoreLock>()));
        services.TryAddSingleton(p => new ScrubService(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<StoreLock>(),
            p.GetRequiredService<IArchiveStore>(),
            p.GetRequiredService<ArchiveVerifier>(),
            p.GetRequiredService<ManifestStore>(),
            p.GetRequiredService<ScrubLedger>(),
            p.GetRequiredService<TimeProvider>(),
            p.GetRequiredService<IOptions<ScrubOptions>>(),
            p.GetRequiredService<ILogger<ScrubService>>()));
        services.TryAddSingleton(p => new ArchiveRestorer(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<StoreLock>(),
            p.GetRequiredService<ManifestStore>(),
            p.GetRequiredService<IOptions<KaggleStorageOptions>>(),
            p.GetRequiredService<IArchiveStore>()));
        services.TryAddSingleton(p => new DayFileReader(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<ManifestStore>(),
            p.GetRequiredService<IArchiveStore>()));
        return services;
    }
}
