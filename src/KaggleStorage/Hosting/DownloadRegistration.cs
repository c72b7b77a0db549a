using System.IO.Abstractions;
using System.Net.Http.Headers;
using KaggleStorage.Kaggle;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace KaggleStorage.Hosting;

/// <summary>The Kaggle download: its options, credentials, the API client and its HTTP clients with their retry policy.</summary>
internal static class DownloadRegistration
{
    public static IServiceCollection AddStoreDownload(this IServiceCollection services, IConfiguration? configuration)
    {
        OptionsSection.Add<KaggleClientOptions, KaggleClientOptionsValidator>(services, configuration, KaggleClientOptions.SectionName);
        services.TryAddSingleton(p => new KaggleCredentialsProvider(
            p.GetRequiredService<IFileSystem>(), p.GetRequiredService<ILogger<KaggleCredentialsProvider>>()));
        services.TryAddSingleton(p => new KaggleApiClient(
            p.GetRequiredService<IHttpClientFactory>(),
            p.GetRequiredService<IOptions<KaggleClientOptions>>(),
            p.GetRequiredService<ILogger<KaggleApiClient>>()));
        services.TryAddTransient(p => new DatasetDownloader(
            p.GetRequiredService<StorageLayout>(),
            p.GetRequiredService<IFileSystem>(),
            p.GetRequiredService<StoreLock>(),
            p.GetRequiredService<StoreCalendar>(),
            p.GetRequiredService<KaggleApiClient>(),
            p.GetRequiredService<KaggleCredentialsProvider>(),
            p.GetRequiredService<FileFingerprinter>(),
            p.GetRequiredService<ManifestStore>(),
            p.GetRequiredService<DownloadManifestVerifier>(),
            p.GetRequiredService<TimeProvider>(),
            p.GetRequiredService<IOptions<KaggleStorageOptions>>(),
            p.GetRequiredService<IOptions<KaggleClientOptions>>(),
            p.GetRequiredService<ILogger<DatasetDownloader>>()));
        AddHttpClients(services);
        return services;
    }

    private static void AddHttpClients(IServiceCollection services)
    {
        var userAgent = new ProductInfoHeaderValue(
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
    }
}
