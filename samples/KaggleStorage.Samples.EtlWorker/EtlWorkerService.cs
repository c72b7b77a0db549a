using Microsoft.Extensions.Options;

namespace KaggleStorage.Samples.EtlWorker;

/// <summary>Loads every raw day without processed output; with <c>--once</c> it then stops the host, else it polls.</summary>
public sealed class EtlWorkerService(
    KaggleStorage.Layout.StorageLayout layout,
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
            // Say where it looks and why there is nothing to do: a worker that exits 0 in silence is
            // indistinguishable from one pointed at the wrong folder.
            var raw = layout.GetAreaPath(KaggleStorage.Layout.StorageArea.Raw);
            var pending = Directory.Exists(raw) ? loader.FindPending() : [];
            if (!Directory.Exists(raw))
            {
                logger.LogWarning(
                    "Nothing to load: {Raw} does not exist. Set KaggleStorage:Root (env KaggleStorage__Root) or KAGGLE_DATA_ROOT to the store root; it is {Root} now", raw, layout.Root);
            }
            else if (pending.Count == 0)
            {
                logger.LogInformation("Nothing to load: every raw day in {Raw} already has processed output", raw);
            }
            else
            {
                logger.LogInformation("Loading {Count} raw {Days} without processed output from {Raw}: {Pending}", pending.Count, pending.Count == 1 ? "day" : "days", raw, string.Join(", ", pending));
            }

            foreach (var day in pending)
            {
                try
                {
                    var (summary, report) = await loader.LoadAsync(day, stoppingToken);
                    var failed = summary.Files.Where(f => f.Status == KaggleStorage.Manifests.LoadStatus.Failed).ToList();
                    var why = summary.Files.Count == 0
                        ? "the day has no CSV files"
                        : string.Join("; ", failed.Take(3).Select(f => $"{f.Name}: {f.Error}")) + (failed.Count > 3 ? $"; and {failed.Count - 3} more" : string.Empty);
                    logger.Log(
                        summary.Status == KaggleStorage.Manifests.LoadStatus.Succeeded ? LogLevel.Information : LogLevel.Warning,
                        "Loaded {Day}: {Status}, {Rows} rows, {Rejected} rejected{Rules}{Why}",
                        day,
                        summary.Status,
                        summary.Files.Sum(f => f.RowsRead),
                        summary.Files.Sum(f => f.RowsRejected),
                        BrokenRules(report),
                        failed.Count > 0 || summary.Files.Count == 0 ? $"; failed: {why}" : string.Empty);
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

    // "12 rejected" alone sends the reader to validation_report.json; the rules and their counts say why at once.
    private static string BrokenRules(KaggleStorage.Manifests.ValidationReport report)
    {
        var broken = report.Checks.Where(check => check.Count > 0 && check.Name != "required-columns").Select(check => $"{check.Name}: {check.Count}").ToList();
        return broken.Count == 0 ? string.Empty : $" ({string.Join(", ", broken)})";
    }
}
