using KaggleStorage.Archival;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Hosting;

/// <summary>Registers the S3 archive store next to <c>AddKaggleStorage</c>.</summary>
public static class KaggleStorageS3ServiceCollectionExtensions
{
    /// <summary>
    /// Makes the S3 archive store available, binding <see cref="S3ArchiveOptions"/> from <c>KaggleStorage:Archive:S3</c>
    /// of <paramref name="configuration"/>. It is used when <c>KaggleStorage:Archive:Store</c> is <c>s3</c> (the
    /// options are then validated when the host starts); with <c>filesystem</c> it stays unused. Call it before or
    /// after <c>AddKaggleStorage</c>; calling it twice registers it once.
    /// </summary>
    public static IServiceCollection AddKaggleStorageS3(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(ArchiveStoreProvider) && d.ImplementationInstance is ArchiveStoreProvider { Kind: ArchiveStoreKind.S3 }))
        {
            return services;
        }

        OptionsSection.Add<S3ArchiveOptions, S3ArchiveOptionsValidator>(services, configuration, S3ArchiveOptions.SectionName);
        services.AddSingleton(new ArchiveStoreProvider(ArchiveStoreKind.S3, CreateStore));
        return services;
    }

    private static S3ArchiveStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<S3ArchiveOptions>>().Value;
        return new S3ArchiveStore(S3ArchiveStore.CreateClient(options), options, services.GetRequiredService<ILogger<S3ArchiveStore>>());
    }
}
