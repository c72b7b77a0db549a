using KaggleStorage.Layout;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Hosting;

/// <summary>Registers the store's services.</summary>
public static class KaggleStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds the store, binding <see cref="KaggleStorageOptions"/> from the <c>KaggleStorage</c> section of
    /// <paramref name="configuration"/>. The root falls back to <c>KAGGLE_DATA_ROOT</c>, then <c>/data/kaggle</c>;
    /// every options section is validated when the host starts.
    /// </summary>
    public static IServiceCollection AddKaggleStorage(this IServiceCollection services, IConfiguration configuration) =>
        AddKaggleStorage(services, configuration, configure: null);

    /// <summary>Adds the store configured in code only (root still falls back to the environment, then the default).</summary>
    public static IServiceCollection AddKaggleStorage(this IServiceCollection services, Action<KaggleStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddKaggleStorage(services, configuration: null, configure);
    }

    /// <summary>
    /// Adds the store bound from <paramref name="configuration"/>, then adjusted by <paramref name="configure"/>
    /// (which wins, as a command-line <c>--root</c> does).
    /// </summary>
    public static IServiceCollection AddKaggleStorage(
        this IServiceCollection services, IConfiguration? configuration, Action<KaggleStorageOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);

        // One registration per capability, floor by floor; each binds and validates its own options section.
        return services
            .AddStoreLayout(configuration, configure)
            .AddStoreManifestsAndLock()
            .AddStoreArchival(configuration)
            .AddStoreRetention(configuration)
            .AddStoreMigration()
            .AddStoreDownload(configuration)
            .AddStoreStatus(configuration);
    }
}
