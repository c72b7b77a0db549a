using System.Net;
using System.Text;
using System.Text.Json;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Samples.Tests;

/// <summary>
/// <c>/days/{date}/files</c> over a real store: live days, and days archived on the volume by the host's own archive
/// service and then removed, read back through the library's reader.
/// </summary>
public sealed class ApiDayFilesTests : IDisposable
{
    private const string Csv = "chainid,storeid,itemcode,itemprice\n7290027600007,1,7290000000001,5.90\n";
    private const string Summary = "{\"schemaVersion\":1,\"partition\":\"20241026\",\"status\":\"succeeded\",\"files\":[]}";
    private readonly TempStore _store = new();
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _client;

    public ApiDayFilesTests()
    {
        _store.Write("raw/20241026/price_full_file_shufersal.csv", Csv);
        _store.Write("raw/20241026/notes.bin", "\u0001\u0002");
        _store.Write("processed/20241026/load_summary.json", Summary);
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
    public async Task A_live_day_lists_its_raw_and_processed_files_and_serves_each_with_its_content_type()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/days/20241026/files"));
        using var csv = await _client.GetAsync("/days/20241026/files/price_full_file_shufersal.csv");
        using var summary = await _client.GetAsync("/days/20241026/files/processed/20241026/load_summary.json");
        using var bytes = await _client.GetAsync("/days/20241026/files/raw/20241026/notes.bin");

        Assert.Equal(
            ["processed/20241026/load_summary.json:live", "raw/20241026/notes.bin:live", "raw/20241026/price_full_file_shufersal.csv:live"],
            json.RootElement.EnumerateArray().Select(file => $"{file.GetProperty("path").GetString()}:{file.GetProperty("origin").GetString()}"));
        Assert.Equal(Csv.Length, json.RootElement[2].GetProperty("sizeBytes").GetInt64());
        Assert.Equal(Csv, await csv.Content.ReadAsStringAsync());
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Summary, await summary.Content.ReadAsStringAsync());
        Assert.Equal("application/json", summary.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/octet-stream", bytes.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_day_archived_on_the_volume_and_gone_from_raw_is_listed_and_served_from_its_archive()
    {
        var big = BigCsv(3_500_000);
        _store.Write("raw/20241020/price_full_file_shufersal.csv", Csv);
        _store.Write("raw/20241020/price_full_file_victory.csv", big);
        await ArchiveAndRemoveAsync("20241020");

        using var json = JsonDocument.Parse(await _client.GetStringAsync("/days/20241020/files"));
        var small = await _client.GetStringAsync("/days/20241020/files/price_full_file_shufersal.csv");
        using var response = await _client.GetAsync("/days/20241020/files/raw/20241020/price_full_file_victory.csv", HttpCompletionOption.ResponseHeadersRead);

        // The length is a header the server sent, not one the client worked out from a buffered body.
        var sentLength = response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var lengths) ? lengths.ToString() : null;
        var whole = await response.Content.ReadAsStringAsync();

        Assert.Equal(
            ["raw/20241020/price_full_file_shufersal.csv:archive", "raw/20241020/price_full_file_victory.csv:archive"],
            json.RootElement.EnumerateArray().Select(file => $"{file.GetProperty("path").GetString()}:{file.GetProperty("origin").GetString()}"));
        Assert.Equal(big.Length, json.RootElement[1].GetProperty("sizeBytes").GetInt64());
        Assert.Equal(Csv, small);
        Assert.Equal(big, whole);

        // The length comes from the index before the first byte is read, though the archived stream cannot seek.
        Assert.Equal(big.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), sentLength);
    }

    [Fact]
    public async Task A_day_archived_by_GNU_tar_without_an_index_is_listed_and_served_by_reading_its_archive()
    {
        _store.Write("raw/20241019/price_full_file_shufersal.csv", Csv);
        _store.Write("raw/20241019/.hidden.csv", "hidden\n");
        using (var tar = System.Diagnostics.Process.Start("tar", ["czf", Path.Combine(_store.Root, "archive", "20241019.tar.gz"), "-C", _store.Root, "raw/20241019"]))
        {
            await tar.WaitForExitAsync();
            Assert.Equal(0, tar.ExitCode);
        }

        Directory.Delete(Path.Combine(_store.Root, "raw", "20241019"), recursive: true);

        using var json = JsonDocument.Parse(await _client.GetStringAsync("/days/20241019/files"));
        var file = await _client.GetStringAsync("/days/20241019/files/price_full_file_shufersal.csv");
        var hidden = await _client.GetStringAsync("/days/20241019/files/raw/20241019/.hidden.csv");

        Assert.Equal(
            ["raw/20241019/.hidden.csv:archive", "raw/20241019/price_full_file_shufersal.csv:archive"],
            json.RootElement.EnumerateArray().Select(f => $"{f.GetProperty("path").GetString()}:{f.GetProperty("origin").GetString()}"));
        Assert.Equal(Csv, file);
        Assert.Equal("hidden\n", hidden);
    }

    [Theory]
    [InlineData("/days/20241026/files/missing.csv")]
    [InlineData("/days/20241026/files/processed/20241026/validation_report.json")]
    [InlineData("/days/20240101/files/a.csv")]
    [InlineData("/days/20240101/files")]
    public async Task A_missing_day_or_file_is_404_with_a_one_line_problem(string url)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertOneLineProblemAsync(response);
    }

    [Theory]
    [InlineData("/days/20241332/files")]
    [InlineData("/days/2024-10-26/files/a.csv")]
    [InlineData("/days/20241026/files/raw/20241020/price_full_file_shufersal.csv")]
    [InlineData("/days/20241026/files/..%2F..%2Fprocessed%2F20241026%2Fload_summary.json")]
    [InlineData("/days/20241026/files/raw%2F20241026%2F..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/days/20241026/files/sub%5C..%5C..%5Cx.csv")]
    public async Task A_bad_date_or_a_path_that_leaves_the_day_is_400(string url)
    {
        _store.Write("raw/20241020/price_full_file_shufersal.csv", Csv);

        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertOneLineProblemAsync(response);
    }

    [Fact]
    public async Task A_damaged_byte_in_a_small_archived_file_fails_the_response()
    {
        _store.Write("raw/20241020/price_full_file_shufersal.csv", Csv);
        await ArchiveAndRemoveAsync("20241020");
        CorruptLastBlockOf("20241020", "raw/20241020/price_full_file_shufersal.csv");

        await AssertFailedTransferAsync("/days/20241020/files/price_full_file_shufersal.csv", Csv.Length);
    }

    [Fact]
    public async Task Damage_found_after_the_first_megabytes_were_sent_aborts_the_response_instead_of_ending_it()
    {
        var big = BigCsv(3_500_000);
        _store.Write("raw/20241020/price_full_file_victory.csv", big);
        await ArchiveAndRemoveAsync("20241020");
        CorruptLastBlockOf("20241020", "raw/20241020/price_full_file_victory.csv");

        using var response = await _client.GetAsync("/days/20241020/files/price_full_file_victory.csv", HttpCompletionOption.ResponseHeadersRead);

        // The first blocks are sound, so the status line went out before the damage was met.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Over_a_real_socket_the_damaged_files_transfer_breaks_off_and_a_sound_one_arrives_whole()
    {
        var big = BigCsv(3_500_000);
        _store.Write("raw/20241020/price_full_file_victory.csv", big);
        _store.Write("raw/20241021/price_full_file_victory.csv", big);
        await ArchiveAndRemoveAsync("20241020");
        await ArchiveAndRemoveAsync("20241021");
        CorruptLastBlockOf("20241020", "raw/20241020/price_full_file_victory.csv");
        using var kestrel = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("KaggleStorage:Root", _store.Root));
        kestrel.UseKestrel(0);
        kestrel.StartServer();
        using var client = kestrel.CreateClient();

        var sound = await client.GetStringAsync("/days/20241021/files/price_full_file_victory.csv");
        using var damaged = await client.GetAsync("/days/20241020/files/price_full_file_victory.csv", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(big, sound);
        Assert.Equal(HttpStatusCode.OK, damaged.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => damaged.Content.ReadAsByteArrayAsync());
    }

    private Task ArchiveAndRemoveAsync(string date) => ArchivedDays.ArchiveAndRemoveAsync(_factory.Services, _store.Root, date);

    private void CorruptLastBlockOf(string date, string path) => ArchivedDays.CorruptLastBlockOf(_store.Root, date, path);

    private static string BigCsv(int length) => ArchivedDays.BigCsv(length);

    /// <summary>
    /// The client never gets the file as a complete 200: either a 500 problem (damage met before any byte was sent)
    /// or a transfer that breaks off.
    /// </summary>
    private async Task AssertFailedTransferAsync(string url, int length)
    {
        using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var exception = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync());
            Assert.True(exception is not null, $"{url} ended as a complete 200 of a damaged archive ({length} bytes expected).");
            return;
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("damaged", await AssertOneLineProblemAsync(response), StringComparison.Ordinal);
    }

    private static async Task<string> AssertOneLineProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.DoesNotContain('\n', detail);
        return detail;
    }
}
