using Microsoft.Extensions.Options;

namespace KaggleStorage.Samples.EtlWorker;

/// <summary>Loads every raw day without processed output; with <c>--once</c> it then stops the host, else it polls.</summary>
public sealed class EtlWorkerService(
    PartitionLoader loader,
    IOptions<EtlOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<EtlWorkerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var day in loader.FindPending())
            {
                try
                {
                    var summary = await loader.LoadAsync(day, stoppingToken);
                    logger.LogInformation("Loaded {Day}: {Status}, {Rows} rows, {Rejected} rejected", day, summary.Status, summary.Files.Sum(f => f.RowsRead), summary.Files.Sum(f => f.RowsRejected));
                }
                catch (KaggleStorage.Locking.StoreLockedException exception)
                {
                    // The day's processed folder is published under the store lock; a long download or prune holds it.
                    logger.LogWarning("Loading {Day} waits for the next run: {Reason}", day, exception.Message);
                    break;
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // One day that cannot be loaded must not stop the others; it stays pending for the next run.
                    logger.LogError(exception, "Loading {Day} failed", day);
                }
            }

            if (options.Value.Once)
            {
                lifetime.StopApplication();
                return;
            }

            await Task.Delay(options.Value.PollInterval, timeProvider, stoppingToken);
        }
    }
}
