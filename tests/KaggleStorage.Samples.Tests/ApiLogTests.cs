using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Samples.Tests;

/// <summary>The API's log as a cluster sees it: a probe every few seconds must not bury the requests people make.</summary>
public sealed class ApiLogTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly WebApplicationFactory<Program> _factory;

    public ApiLogTests()
    {
        _store.Write("raw/20241026/price_full_file_shufersal.csv", "chainid,storeid,itemcode,itemprice\n1,1,1,5.90\n");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("KaggleStorage:Root", _store.Root)
            .ConfigureServices(services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs))));
    }

    public void Dispose()
    {
        _factory.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task Probes_are_logged_at_debug_and_other_requests_at_information()
    {
        using var client = _factory.CreateClient();

        await client.GetAsync("/health");
        await client.GetAsync("/partitions");

        var requests = _logs.Entries.Where(entry => entry.Category == "KaggleStorage.Samples.Api.Requests").ToList();
        Assert.Contains(requests, entry => entry.Level == LogLevel.Debug && entry.Message.StartsWith("GET /health ", StringComparison.Ordinal));
        Assert.Contains(requests, entry => entry.Level == LogLevel.Information && entry.Message == "GET /partitions 200");
        Assert.DoesNotContain(requests, entry => entry.Level >= LogLevel.Information && entry.Message.Contains("/health", StringComparison.Ordinal));
        Assert.DoesNotContain(
            _logs.Entries,
            entry => entry.Level >= LogLevel.Information && entry.Message.Contains("/health", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transfer_broken_off_by_a_damaged_archive_is_logged_as_aborted_with_the_damage()
    {
        _store.Write("raw/20241020/price_full_file_victory.csv", ArchivedDays.BigCsv(3_500_000));
        await ArchivedDays.ArchiveAndRemoveAsync(_factory.Services, _store.Root, "20241020");
        ArchivedDays.CorruptLastBlockOf(_store.Root, "20241020", "raw/20241020/price_full_file_victory.csv");
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/days/20241020/files/price_full_file_victory.csv", HttpCompletionOption.ResponseHeadersRead);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());

        // The request line is written once the pipeline has unwound, which can be after the client saw the break.
        await WaitForAsync(() => _logs.Entries.Any(entry => entry.Category == "KaggleStorage.Samples.Api.Requests"));
        var request = Assert.Single(_logs.Entries, entry => entry.Category == "KaggleStorage.Samples.Api.Requests");
        Assert.Equal((LogLevel.Warning, "GET /days/20241020/files/price_full_file_victory.csv 200 aborted"), (request.Level, request.Message));
        Assert.Contains(_logs.Entries, entry => entry.Level == LogLevel.Error
            && entry.Message.Contains("raw/20241020/price_full_file_victory.csv", StringComparison.Ordinal)
            && entry.Message.Contains("damaged", StringComparison.Ordinal));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 600 && !condition(); attempt++)
        {
            await Task.Delay(50);
        }
    }

    private sealed record Entry(string Category, LogLevel Level, string Message);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new Entry(category, logLevel, formatter(state, exception)));
        }
    }
}
