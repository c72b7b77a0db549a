using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KaggleStorage.Samples.Tests;

public sealed class ApiTests : IDisposable
{
    private const string Csv = "chainid,storeid,itemcode,itemprice\n7290027600007,1,7290000000001,5.90\n7290027600007,2,7290000000002,6.20\n";
    private readonly TempStore _store = new();
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _client;

    public ApiTests()
    {
        _store.Write("raw/20241026/price_full_file_shufersal.csv", Csv);
        _store.Write("raw/20241026/download_manifest.json",
            "{\"schemaVersion\":1,\"datasetId\":\"erlichsefi/israeli-supermarkets-2024\",\"partition\":\"20241026\",\"downloadedAtUtc\":\"2024-10-26T02:00:00Z\",\"source\":\"test\",\"files\":[]}");
        _store.Write("processed/20241026/load_summary.json",
            "{\"schemaVersion\":1,\"partition\":\"20241026\",\"startedAtUtc\":\"2024-10-26T03:00:00Z\",\"completedAtUtc\":\"2024-10-26T03:01:00Z\",\"status\":\"succeeded\",\"files\":[]}");
        _store.Write("archive/20241020.tar.gz", "x");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("KaggleStorage:Root", _store.Root));
        _client = _factory.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task Health_is_ok_over_an_initialized_store()
    {
        var response = await _client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(_store.Root, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_unavailable_when_areas_are_missing()
    {
        Directory.Delete(Path.Combine(_store.Root, "reports"));

        var response = await _client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("reports", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partitions_lists_every_day_with_what_it_has()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/partitions"));

        var days = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(new[] { "20241020", "20241026" }, days.Select(d => d.GetProperty("date").GetString()));
        Assert.True(days[0].GetProperty("archived").GetBoolean());
        Assert.True(days[1].GetProperty("hasRaw").GetBoolean() && days[1].GetProperty("hasProcessed").GetBoolean());
    }

    [Fact]
    public async Task Partition_details_hold_its_manifests()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/partitions/20241026"));

        Assert.Equal("test", json.RootElement.GetProperty("downloadManifest").GetProperty("source").GetString());
        Assert.Equal("succeeded", json.RootElement.GetProperty("loadSummary").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("validationReport").ValueKind);
    }

    [Theory]
    [InlineData("/partitions/20241332")]
    [InlineData("/partitions/2024-10-26")]
    [InlineData("/partitions/20241332/files/a.csv")]
    public async Task Bad_dates_are_400_with_problem_details(string url)
    {
        var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("YYYYMMDD", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_day_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/partitions/20240101")).StatusCode);
    }

    [Fact]
    public async Task Files_are_streamed_whole_or_by_range()
    {
        var whole = await _client.GetStringAsync("/partitions/20241026/files/price_full_file_shufersal.csv");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/partitions/20241026/files/price_full_file_shufersal.csv");
        request.Headers.Range = new RangeHeaderValue(0, 6);
        using var partial = await _client.SendAsync(request);

        Assert.Equal(Csv, whole);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("chainid", await partial.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("..%2F..%2Fprocessed%2F20241026%2Fload_summary.json")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("...")]
    [InlineData(".hidden")]
    [InlineData("sub%5Cfile.csv")]
    public async Task Names_that_would_leave_the_partition_are_refused(string name)
    {
        var response = await _client.GetAsync($"/partitions/20241026/files/{name}");

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{name}: {response.StatusCode}");
        Assert.DoesNotContain("\"status\":\"succeeded\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_can_be_written()
    {
        var put = await _client.PutAsync("/partitions/20241026/files/new.csv", new StringContent("x"));
        var delete = await _client.DeleteAsync("/partitions/20241026/files/price_full_file_shufersal.csv");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.False(File.Exists(Path.Combine(_store.Root, "raw", "20241026", "new.csv")));
        Assert.True(File.Exists(Path.Combine(_store.Root, "raw", "20241026", "price_full_file_shufersal.csv")));
    }
}
