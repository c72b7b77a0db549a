using System.Text.Json;
using KaggleStorage.Archival;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.Layout;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Samples.Tests;

/// <summary>
/// The sample API configured with the S3 archive store (s3rver on loopback): the days it lists as archived are the
/// bucket's, not whatever lies in the volume's <c>archive/</c> folder.
/// </summary>
public sealed class ApiS3ArchiveStoreTests : IClassFixture<S3Endpoint>, IAsyncLifetime
{
    private const string Csv = "chainid,storeid,itemcode,itemprice\n7290027600007,1,7290000000001,5.90\n";
    private readonly S3Endpoint _s3;
    private readonly TempStore _store = new();
    private WebApplicationFactory<Program> _factory = null!;
    private string _bucket = null!;
    private string _prefix = null!;

    public ApiS3ArchiveStoreTests(S3Endpoint s3)
    {
        _s3 = s3;
    }

    public async Task InitializeAsync()
    {
        (_bucket, _prefix) = await _s3.CreateBucketAsync();
        foreach (var (name, value) in _s3.ToolEnvironment(_bucket, _prefix, _store.Root))
        {
            // The API reads the archive store's settings from configuration; the AWS SDK's credentials come from the
            // environment, as in a pod.
            if (name.StartsWith("AWS_", StringComparison.Ordinal))
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("KaggleStorage:Root", _store.Root);
            builder.UseSetting("KaggleStorage:Archive:Store", "s3");
            builder.UseSetting("KaggleStorage:Archive:S3:Bucket", _bucket);
            builder.UseSetting("KaggleStorage:Archive:S3:Prefix", _prefix);
            builder.UseSetting("KaggleStorage:Archive:S3:ServiceUrl", _s3.ServiceUrl.ToString());
            builder.UseSetting("KaggleStorage:Archive:S3:ForcePathStyle", _s3.IsReal ? "false" : "true");
        });
    }

    public Task DisposeAsync()
    {
        _factory.Dispose();
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Partitions_lists_the_days_archived_in_the_bucket_and_not_files_of_the_volumes_archive_folder()
    {
        // 20241020 is archived into the bucket by the API host's own archive service, then leaves the volume;
        // 20241019 is a file on the volume that no archive store of this host holds.
        _store.Write("raw/20241020/price_full_file_shufersal.csv", Csv);
        _store.Write("raw/20241026/price_full_file_shufersal.csv", Csv);
        _store.Write("archive/20241019.tar.gz", "not an archive of this host");
        var archiving = _factory.Services.GetRequiredService<ArchiveService>();
        var run = await archiving.ExecuteAsync(await archiving.PlanAsync([PartitionDate.Parse("20241020")]));
        Assert.False(run.HasFailures, string.Join("; ", run.Outcomes.Select(o => o.Error)));
        Directory.Delete(Path.Combine(_store.Root, "raw", "20241020"), recursive: true);
        Assert.Contains($"{_prefix}20241020.tar.gz", await _s3.ListKeysAsync(_bucket, _prefix));

        using var client = _factory.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/partitions"));

        var days = json.RootElement.EnumerateArray().ToDictionary(day => day.GetProperty("date").GetString()!);
        Assert.Equal(["20241020", "20241026"], days.Keys);
        Assert.True(days["20241020"].GetProperty("archived").GetBoolean());
        Assert.False(days["20241020"].GetProperty("hasRaw").GetBoolean());
        Assert.False(days["20241026"].GetProperty("archived").GetBoolean());
    }

    [Fact]
    public async Task A_day_archived_in_the_bucket_and_gone_from_the_volume_is_listed_and_served_from_the_bucket()
    {
        var big = ArchivedDays.BigCsv(2_500_000);
        _store.Write("raw/20241020/price_full_file_shufersal.csv", Csv);
        _store.Write("raw/20241020/price_full_file_victory.csv", big);
        var archiving = _factory.Services.GetRequiredService<ArchiveService>();
        var run = await archiving.ExecuteAsync(await archiving.PlanAsync([PartitionDate.Parse("20241020")]));
        Assert.False(run.HasFailures, string.Join("; ", run.Outcomes.Select(o => o.Error)));
        Directory.Delete(Path.Combine(_store.Root, "raw", "20241020"), recursive: true);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_store.Root, "archive")));

        using var client = _factory.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/days/20241020/files"));
        var small = await client.GetStringAsync("/days/20241020/files/price_full_file_shufersal.csv");
        var whole = await client.GetStringAsync("/days/20241020/files/raw/20241020/price_full_file_victory.csv");
        using var missing = await client.GetAsync("/days/20241020/files/price_full_file_yochananof.csv");

        Assert.Equal(
            ["raw/20241020/price_full_file_shufersal.csv:archive", "raw/20241020/price_full_file_victory.csv:archive"],
            json.RootElement.EnumerateArray().Select(file => $"{file.GetProperty("path").GetString()}:{file.GetProperty("origin").GetString()}"));
        Assert.Equal(Csv, small);
        Assert.Equal(big, whole);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_byte_damaged_in_the_bucket_breaks_off_the_transfer_of_the_file_it_is_in()
    {
        _store.Write("raw/20241020/price_full_file_victory.csv", ArchivedDays.BigCsv(3_500_000));
        var archiving = _factory.Services.GetRequiredService<ArchiveService>();
        var run = await archiving.ExecuteAsync(await archiving.PlanAsync([PartitionDate.Parse("20241020")]));
        Assert.False(run.HasFailures, string.Join("; ", run.Outcomes.Select(o => o.Error)));
        Directory.Delete(Path.Combine(_store.Root, "raw", "20241020"), recursive: true);
        var index = System.Text.Encoding.UTF8.GetString(await _s3.GetAsync(_bucket, $"{_prefix}20241020.tar.gz.index.json"));
        if (!_s3.DamageStoredObject(_bucket, $"{_prefix}20241020.tar.gz", ArchivedDays.LastBlockStart(index, "raw/20241020/price_full_file_victory.csv"), ArchivedDays.InvalidBlockType))
        {
            return; // a real endpoint's disks are out of reach
        }

        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/days/20241020/files/price_full_file_victory.csv", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
    }
}
