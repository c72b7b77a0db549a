using System.IO.Abstractions;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Samples.EtlWorker;
using KaggleStorage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Samples.Tests;

/// <summary>The worker says where it looks, why there is nothing to do, and why a day failed.</summary>
public sealed class EtlWorkerLogTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_missing_root_is_logged_with_the_setting_to_fix()
    {
        var logs = await RunOnceAsync(Path.Combine(_store.Root, "nowhere"));

        Assert.Contains(logs, line => line.Contains("does not exist", StringComparison.Ordinal) && line.Contains("KAGGLE_DATA_ROOT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_pending_and_a_failed_day_are_both_explained()
    {
        Directory.CreateDirectory(Path.Combine(_store.Root, "raw"));
        var idle = await RunOnceAsync(_store.Root);
        _store.Write("raw/20241026/price_full_file_a.csv", "chainid,itemname\n1,חלב\n");
        var failed = await RunOnceAsync(_store.Root);

        Assert.Contains(idle, line => line.StartsWith("Nothing to load: every raw day in", StringComparison.Ordinal));
        Assert.Contains(failed, line => line.Contains("Loaded 20241026: Failed", StringComparison.Ordinal)
            && line.Contains("price_full_file_a.csv: missing required columns: storeid, itemcode, itemprice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejected_rows_are_logged_with_the_rules_they_broke()
    {
        _store.Write(
            "raw/20241026/price_full_file_a.csv",
            "chainid,storeid,itemcode,itemname,itemprice,priceupdatedate\n1,1,100,חלב,5.90,2024-10-26 08:00:00\n1,1,101,לחם,-3,2024-10-26 08:00:00\n");

        var logs = await RunOnceAsync(_store.Root);

        Assert.Contains(logs, line => line.Contains("Loaded 20241026: PartiallySucceeded, 2 rows, 1 rejected (price-numeric-non-negative: 1)", StringComparison.Ordinal));
    }

    private static async Task<List<string>> RunOnceAsync(string root)
    {
        // Wired as the worker's host wires it.
        await using var services = new ServiceCollection()
            .AddKaggleStorage(o => o.Root = root)
            .AddSingleton<PartitionLoader>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var layout = services.GetRequiredService<StorageLayout>();
        var loader = services.GetRequiredService<PartitionLoader>();
        var logger = new ListLogger();
        using var worker = new EtlWorkerService(layout, loader, Options.Create(new EtlOptions { Once = true }), new StoppingLifetime(), TimeProvider.System, logger);

        await worker.StartAsync(CancellationToken.None);
        await worker.ExecuteTask!;
        return logger.Lines;
    }

    private sealed class ListLogger : ILogger<EtlWorkerService>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }

    private sealed class StoppingLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
