using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.Demo;
using KaggleStorage.Kaggle;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Migration;
using KaggleStorage.Retention;
using KaggleStorage.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace KaggleStorage.Hosting;

/// <summary>Registers the store's services.</summary>
public static class KaggleStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds the store, binding <see cref="KaggleStorageOptions"/> from the <c>KaggleStorage</c> section of
    /// <paramref name="configuration"/>. The root falls back to <c>KAGGLE_DATA_ROOT</c>, then <c>/data/kaggle</c>;
    /// options are validated when the host starts.
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

        var options = services.AddOptions<KaggleStorageOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(KaggleStorageOptions.SectionName));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.PostConfigure(o => o.Root = StorageRootResolver.Resolve(o.Root, Environment.GetEnvironmentVariable));
        options.ValidateOnStart();
        // Each capability binds its own subsection and validates it; the keys stay those of one KaggleStorage section.
        AddSection<ArchiveOptions, ArchiveOptionsValidator>(services, configuration, ArchiveOptions.SectionName);
        AddSection<KaggleClientOptions, KaggleClientOptionsValidator>(services, configuration, KaggleClientOptions.SectionName);
        AddSection<RetentionOptions, RetentionOptionsValidator>(services, configuration, RetentionOptions.SectionName);
        AddSection<HealthOptions, HealthOptionsValidator>(services, configuration, HealthOptions.SectionName);
        AddSection<ScrubOptions, ScrubOptionsValidator>(services, configuration, ScrubOptions.SectionName);

        services.TryAddSingleton<IFileSystem, FileSystem>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KaggleStorageOptions>, KaggleStorageOptionsValidator>());

        services.TryAddSingleton<StorageLayout>();
        services.TryAddSingleton(provider => ArchiveStoreFactory.Create(
            provider.GetRequiredService<IOptions<ArchiveOptions>>().Value,
            provider.GetRequiredService<StorageLayout>(),
            provider.GetRequiredService<IFileSystem>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        services.TryAddSingleton<StoreCalendar>();
        services.TryAddSingleton<RetentionPlanner>();
        services.TryAddSingleton<PartitionArchiver>();
        services.TryAddSingleton<ArchiveVerifier>();
        services.TryAddSingleton(InternalActivator.Create<VerifyService>);
        services.TryAddSingleton<ScrubLedger>();
        services.TryAddSingleton(InternalActivator.Create<ScrubService>);
        services.TryAddSingleton<ArchiveRestorer>();
        services.TryAddSingleton(InternalActivator.Create<ArchiveService>);
        services.TryAddSingleton(InternalActivator.Create<PruneService>);
        services.TryAddSingleton<MigrationService>();
        services.TryAddSingleton<KaggleCredentialsProvider>();
        services.TryAddSingleton<KaggleApiClient>();
        services.TryAddTransient(InternalActivator.Create<DatasetDownloader>);
        var userAgent = new System.Net.Http.Headers.ProductInfoHeaderValue(
            "kaggle-storage", typeof(KaggleApiClient).Assembly.GetName().Version?.ToString(3) ?? "0");
        services.AddHttpClient(KaggleApiClient.ApiClientName, client =>
            {
                // The overall limit is KaggleClientOptions.Timeout, enforced around the whole download with retries.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.Add(userAgent);
            })

            // The download's redirect is followed by hand, to a client that has no credentials and logs no URLs.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddResilienceHandler("kaggle", (pipeline, context) =>
            {
                var kaggle = context.ServiceProvider.GetRequiredService<IOptions<KaggleClientOptions>>().Value;
                if (kaggle.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = kaggle.MaxRetries,
                        Delay = kaggle.RetryBaseDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,

                        // A server that asks to wait longer than MaxRetryAfter is answered at once with its own
                        // message, rather than sleeping the night away inside the overall timeout.
                        ShouldHandle = args => ValueTask.FromResult(
                            HttpClientResiliencePredicates.IsTransient(args.Outcome)
                            && !(args.Outcome.Result?.Headers.RetryAfter?.Delta > kaggle.MaxRetryAfter)),
                    });
                }

                // Each attempt must answer within the stall timeout: an API that accepts and then stays silent is a
                // failed attempt, not a two-hour wait.
                pipeline.AddTimeout(kaggle.StallTimeout);
            });
        services.AddHttpClient(KaggleApiClient.StorageClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.Add(userAgent);
            })

            // A signed URL's query string is a credential: keep it out of every log.
            .RemoveAllLoggers();
        services.TryAddSingleton<RollbackService>();
        services.TryAddSingleton<ManifestStore>();
        services.TryAddSingleton<FileFingerprinter>();
        services.TryAddSingleton(InternalActivator.Create<DownloadManifestVerifier>);
        services.TryAddSingleton<StoreLock>();
        services.TryAddSingleton(InternalActivator.Create<StoreStatusScanner>);
        services.TryAddSingleton<SampleDataWriter>();
        services.TryAddSingleton<SampleStoreGenerator>();
        return services;
    }

    private static void AddSection<TOptions, TValidator>(IServiceCollection services, IConfiguration? configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var builder = services.AddOptions<TOptions>();
        if (configuration is not null)
        {
            builder.Bind(configuration.GetSection(section));
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
