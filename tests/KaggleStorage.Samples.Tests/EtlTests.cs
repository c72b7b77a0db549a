using System.Text.Json;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;
using KaggleStorage.Samples.EtlWorker;
using KaggleStorage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Samples.Tests;

public sealed class EtlTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly ServiceProvider _services;
    private readonly PartitionLoader _loader;
    private readonly KaggleStorage.Locking.StoreLock _storeLock;

    public EtlTests()
    {
        // Wired as the worker's host wires it.
        _services = new ServiceCollection()
            .AddKaggleStorage(o => o.Root = _store.Root)
            .AddSingleton<PartitionLoader>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _loader = _services.GetRequiredService<PartitionLoader>();
        _storeLock = _services.GetRequiredService<KaggleStorage.Locking.StoreLock>();
    }

    public void Dispose()
    {
        _services.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task A_day_is_published_only_under_the_store_lock_and_nothing_appears_while_another_holds_it()
    {
        _store.Write("raw/20241026/store_file_a.csv", "chainid,storeid,storename\n1,1,a\n");
        await using (var held = await _storeLock.AcquireAsync("download", CancellationToken.None))
        {
            await Assert.ThrowsAsync<KaggleStorage.Locking.StoreLockedException>(() => _loader.LoadAsync(PartitionDate.Parse("20241026"), CancellationToken.None));
            Assert.False(Directory.Exists(Path.Combine(_store.Root, "processed", "20241026")));
        }

        await _loader.LoadAsync(PartitionDate.Parse("20241026"), CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(_store.Root, "processed", "20241026", "load_summary.json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_store.Root, ".staging")));
    }

    [Fact]
    public async Task Bad_rows_are_counted_a_bad_file_fails_and_the_others_still_load()
    {
        _store.Write("raw/20241026/price_full_file_a.csv",
            "chainid,storeid,itemcode,itemname,itemprice,priceupdatedate\n" +
            "1,1,100,\"חלב, 3%\",5.90,2024-10-25 08:00:00\n" +
            "1,1,101,לחם,-1,2024-10-25 08:00:00\n" +
            "1,1,102,ביצים,abc,2024-10-25 08:00:00\n" +
            "1,1,103,קוטג',7.10,yesterday\n" +
            "1,1,100,חלב שוב,5.90,2024-10-25 08:00:00\n" +
            "1,2,100,חלב סניף 2,5.90,2024-10-25 08:00:00\n");
        _store.Write("raw/20241026/price_full_file_b.csv", "chainid,itemcode\n1,100\n");
        _store.Write("raw/20241026/promo_full_file_a.csv", "chainid,promotionid,itemcode,discountedprice\n1,9,100,4.90\n");

        Assert.Equal(new[] { PartitionDate.Parse("20241026") }, _loader.FindPending());
        var (summary, _) = await _loader.LoadAsync(PartitionDate.Parse("20241026"), CancellationToken.None);

        Assert.Equal(LoadStatus.PartiallySucceeded, summary.Status);
        var files = summary.Files.ToDictionary(f => f.Name);
        Assert.Equal((6L, 2L, 4L, LoadStatus.PartiallySucceeded), (files["price_full_file_a.csv"].RowsRead, files["price_full_file_a.csv"].RowsLoaded, files["price_full_file_a.csv"].RowsRejected, files["price_full_file_a.csv"].Status));
        Assert.Equal(LoadStatus.Failed, files["price_full_file_b.csv"].Status);
        Assert.Contains("storeid, itemprice", files["price_full_file_b.csv"].Error, StringComparison.Ordinal);
        Assert.Equal(LoadStatus.Succeeded, files["promo_full_file_a.csv"].Status);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_store.Root, "processed", "20241026", "validation_report.json")));
        var checks = report.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("count").GetInt64());
        Assert.Equal(2, checks["price-numeric-non-negative"]);
        Assert.Equal(1, checks["dates-parse"]);
        Assert.Equal(1, checks["item-unique-per-store"]);
        Assert.Equal(1, checks["required-columns"]);
        Assert.Equal("failed", report.RootElement.GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(_store.Root, "processed", "20241026", "load_summary.json")));
        Assert.Empty(_loader.FindPending());
        Assert.Empty(Directory.GetDirectories(Path.Combine(_store.Root, ".staging")));
    }

    [Fact]
    public async Task Clean_day_succeeds_with_every_check_passed()
    {
        _store.Write("raw/20241027/price_full_file_a.csv", "chainid,storeid,itemcode,itemprice\n1,1,100,5.90\n1,1,101,6.10\n");

        var (summary, _) = await _loader.LoadAsync(PartitionDate.Parse("20241027"), CancellationToken.None);

        Assert.Equal(LoadStatus.Succeeded, summary.Status);
        Assert.Equal(2, summary.Files.Single().RowsLoaded);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_store.Root, "processed", "20241027", "validation_report.json")));
        Assert.Equal("passed", report.RootElement.GetProperty("status").GetString());
    }
}
