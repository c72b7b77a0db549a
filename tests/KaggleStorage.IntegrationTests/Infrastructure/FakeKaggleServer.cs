using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>How the fake answers.</summary>
public enum FakeKaggleMode
{
    Normal,
    NotFound,
    ServerErrorOnce,
    TooManyRequestsOnce,
    AlwaysServerError,
    CutHalfway,

    /// <summary>The storage sends half the zip, then nothing, holding the connection open.</summary>
    StallHalfway,

    /// <summary>403 as Kaggle answers when the dataset's rules were not accepted.</summary>
    RulesNotAccepted,

    /// <summary>The first storage request is cut halfway; later ones answer normally, honouring Range.</summary>
    CutOnce,
}

/// <summary>
/// A local stand-in for Kaggle's API v1 on loopback (Kestrel, in the test process): Basic auth, the dataset's
/// view and file list, and the zip behind a redirect to a storage path — the shape the real service has.
/// </summary>
public sealed class FakeKaggleServer : IAsyncDisposable
{
    public const string Owner = "erlichsefi";
    public const string Slug = "israeli-supermarkets-2024";
    public const string Username = "ci-bot";
    public const string Key = "k3y-0f-the-fake-kaggle-7f3a9c";
    public const string Token = "KGAT_t0ken-0f-the-fake-kaggle-51c2e8";

    private readonly WebApplication _app;
    private int _downloadRequests;

    private FakeKaggleServer(WebApplication app) => _app = app;

    public FakeKaggleMode Mode { get; set; } = FakeKaggleMode.Normal;

    public byte[] Zip { get; set; } = [];

    public int Version { get; set; } = 7;

    /// <summary>Send <c>x-goog-hash: md5=…</c> of <see cref="Zip"/> with the storage response, as GCS does.</summary>
    public bool SendStorageMd5 { get; set; }

    /// <summary>When set, the storage flips the byte at this offset of the zip it serves (the hash header stays that of the true zip).</summary>
    public int? FlipServedByteAt { get; set; }

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>The Range header of each storage request ("" when none).</summary>
    public ConcurrentQueue<string> StorageRanges { get; } = new();

    private int _storageRequests;

    /// <summary>User-Agent headers the API saw.</summary>
    public ConcurrentQueue<string> UserAgents { get; } = new();

    /// <summary>Authorization headers seen on the storage path, where none should arrive.</summary>
    public ConcurrentQueue<string> CredentialsSentToStorage { get; } = new();

    public Uri ApiBaseAddress { get; private set; } = null!;

    public int DownloadRequests => _downloadRequests;

    public static async Task<FakeKaggleServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeKaggleServer(app);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.ApiBaseAddress = new Uri(address + "/api/v1/");
        return server;
    }

    public static byte[] CreateZip(IEnumerable<(string Name, string Content)> entries) => CreateZip(entries, CompressionLevel.Fastest);

    public static byte[] CreateZip(IEnumerable<(string Name, string Content)> entries, CompressionLevel level)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, level).Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
        }

        return stream.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/api/v1/datasets/view/{owner}/{slug}", (HttpContext context, string owner, string slug) =>
            Guard(context, owner, slug) ?? Results.Json(new { @ref = $"{owner}/{slug}", title = "Israeli Supermarkets 2024", currentVersionNumber = Version, totalBytes = Zip.Length }));

        app.MapGet("/api/v1/datasets/list/{owner}/{slug}", (HttpContext context, string owner, string slug) =>
        {
            if (Guard(context, owner, slug) is { } refusal)
            {
                return refusal;
            }

            // Two pages, so the client's paging is exercised.
            var names = ZipNames();
            var second = context.Request.Query["pageToken"] == "page-2";
            var page = second ? names.Skip(1) : names.Take(1);
            return Results.Json(new
            {
                datasetFiles = page.Select(n => new { name = n.Name, totalBytes = n.Size, creationDate = "2024-10-26T00:00:00Z" }),
                errorMessage = (string?)null,
                nextPageToken = second || names.Count < 2 ? string.Empty : "page-2",
            });
        });

        app.MapGet("/api/v1/datasets/download/{owner}/{slug}", (HttpContext context, string owner, string slug) =>
        {
            var attempt = Interlocked.Increment(ref _downloadRequests);
            Log.Enqueue($"download attempt {attempt} version={context.Request.Query["datasetVersionNumber"]}");
            if (Guard(context, owner, slug) is { } refusal)
            {
                return refusal;
            }

            switch (Mode)
            {
                case FakeKaggleMode.AlwaysServerError:
                case FakeKaggleMode.ServerErrorOnce when attempt == 1:
                    return Results.StatusCode(500);
                case FakeKaggleMode.TooManyRequestsOnce when attempt == 1:
                    context.Response.Headers.RetryAfter = "1";
                    return Results.StatusCode(429);
            }

            return Results.Redirect($"/storage/{Guid.NewGuid():N}/{slug}.zip");
        });

        app.MapGet("/storage/{token}/{file}", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization.Count > 0)
            {
                CredentialsSentToStorage.Enqueue(context.Request.Headers.Authorization.ToString());
            }

            var storageRequest = Interlocked.Increment(ref _storageRequests);
            StorageRanges.Enqueue(context.Request.Headers.Range.ToString());
            context.Response.ContentType = "application/zip";
            var etag = $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Zip))[..16]}\"";
            context.Response.Headers.ETag = etag;
            context.Response.Headers.AcceptRanges = "bytes";
            if (Mode == FakeKaggleMode.CutOnce && storageRequest > 1
                && System.Text.RegularExpressions.Regex.Match(context.Request.Headers.Range.ToString(), @"^bytes=(\d+)-$") is { Success: true } range
                && context.Request.Headers.IfRange.ToString() == etag)
            {
                var from = int.Parse(range.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                context.Response.StatusCode = 206;
                context.Response.Headers.ContentRange = $"bytes {from}-{Zip.Length - 1}/{Zip.Length}";
                context.Response.ContentLength = Zip.Length - from;
                await context.Response.Body.WriteAsync(Zip.AsMemory(from));
                return;
            }

            context.Response.ContentLength = Zip.Length;
            if (SendStorageMd5)
            {
#pragma warning disable CA5351 // What Google Cloud Storage sends; an integrity check, not security.
                context.Response.Headers["x-goog-hash"] = $"crc32c=AAAAAA==,md5={Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(Zip))}";
#pragma warning restore CA5351
            }

            if (FlipServedByteAt is { } flip)
            {
                var served = Zip.ToArray();
                served[flip] ^= 0x20;
                await context.Response.Body.WriteAsync(served);
                return;
            }
            if (Mode == FakeKaggleMode.StallHalfway)
            {
                await context.Response.Body.WriteAsync(Zip.AsMemory(0, Zip.Length / 2));
                await context.Response.Body.FlushAsync();
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Abort();
                return;
            }

            if (Mode == FakeKaggleMode.CutHalfway || (Mode == FakeKaggleMode.CutOnce && storageRequest == 1))
            {
                await context.Response.Body.WriteAsync(Zip.AsMemory(0, Zip.Length / 2));
                await context.Response.Body.FlushAsync();

                // Let the client read what was sent: an abort right away may reset the connection with data in flight.
                await Task.Delay(300);
                context.Abort();
                return;
            }

            await context.Response.Body.WriteAsync(Zip);
        });
    }

    private IResult? Guard(HttpContext context, string owner, string slug)
    {
        UserAgents.Enqueue(context.Request.Headers.UserAgent.ToString());
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Key}"));
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization != basic && authorization != "Bearer " + Token)
        {
            Log.Enqueue("unauthorized");
            return Results.Json(new { code = 401, message = "Unauthenticated" }, statusCode: 401);
        }

        if (Mode == FakeKaggleMode.RulesNotAccepted)
        {
            return Results.Json(new { code = 403, message = "You must accept this dataset's rules before downloading." }, statusCode: 403);
        }

        return Mode == FakeKaggleMode.NotFound || owner != Owner || slug != Slug
            ? Results.Json(new { code = 404, message = "Not found" }, statusCode: 404)
            : null;
    }

    private List<(string Name, long Size)> ZipNames()
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(Zip), ZipArchiveMode.Read);
            return zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => (e.FullName, e.Length)).ToList();
        }
        catch (InvalidDataException)
        {
            // Serving a broken zip on purpose: the listing still describes what the dataset should hold.
            return [("price_full_file_shufersal.csv", Zip.Length)];
        }
    }
}
