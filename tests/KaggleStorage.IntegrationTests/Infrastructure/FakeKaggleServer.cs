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

    /// <summary>The first signed URL has expired by the time it is used: the storage answers 400 ExpiredToken.</summary>
    ExpiredSignatureOnce,

    /// <summary>Every API call answers 429 with Retry-After and the RPC API's body, <c>{"code":429,"message":…}</c>.</summary>
    AlwaysTooManyRequestsFlat,

    /// <summary>Every API call answers 429 with Retry-After and the nested body, <c>{"error":{"code":429,"message":…}}</c>.</summary>
    AlwaysTooManyRequestsNested,
}

/// <summary>
/// A local stand-in for Kaggle on loopback (Kestrel, in the test process), shaped like the real service: the RPC API
/// (<c>POST /v1/datasets.DatasetApiService/{Method}</c>) and the REST API v1 (<c>GET /api/v1/datasets/…</c>) on one
/// host, answering a download with a 302 to a signed URL on a second host (another port) whose storage refuses any
/// request that carries <c>Authorization</c>, as Google Cloud Storage does for a signed URL.
/// </summary>
public sealed class FakeKaggleServer : IAsyncDisposable
{
    public const string Owner = "erlichsefi";
    public const string Slug = "israeli-supermarkets-2024";
    public const string Username = "ci-bot";
    public const string Key = "k3y-0f-the-fake-kaggle-7f3a9c";
    public const string Token = "KGAT_t0ken-0f-the-fake-kaggle-51c2e8";

    /// <summary>The query parameter that carries the signed URL's signature, which must never be printed.</summary>
    public const string SignatureSecret = "s1gnature-0f-the-fake-storage-e4d1";

    private readonly WebApplication _app;
    private readonly WebApplication _storage;
    private int _downloadRequests;
    private int _signedUrls;

    private FakeKaggleServer(WebApplication app, WebApplication storage)
    {
        _app = app;
        _storage = storage;
    }

    /// <summary>Whether the RPC API exists; without it the RPC paths answer a plain 404, as a host without them would.</summary>
    public bool RpcAvailable { get; set; } = true;

    /// <summary>Whether a legacy user name and key are accepted; an account with only API tokens refuses them.</summary>
    public bool AcceptLegacyKey { get; set; } = true;

    /// <summary>Each API call, as <c>rpc:Method</c> or <c>rest:path</c>.</summary>
    public ConcurrentQueue<string> ApiCalls { get; } = new();

    private DateTimeOffset _retryNotBefore = DateTimeOffset.MinValue;

    public Uri RpcBaseAddress { get; private set; } = null!;

    public FakeKaggleMode Mode { get; set; } = FakeKaggleMode.Normal;

    public byte[] Zip { get; set; } = [];

    /// <summary>
    /// What the API lists for the dataset (name, size or null for none), when it should disagree with the zip the
    /// storage serves: a listed file the zip lacks, a file it does not list, another size. Null lists the zip's files.
    /// </summary>
    public IReadOnlyList<(string Name, long? Size)>? Listing { get; set; }

    public int Version { get; set; } = 7;

    /// <summary>Send <c>x-goog-hash: md5=…</c> of <see cref="Zip"/> with the storage response, as GCS does.</summary>
    public bool SendStorageMd5 { get; set; }

    /// <summary>When set, the storage flips the byte at this offset of the zip it serves (the hash header stays that of the true zip).</summary>
    public int? FlipServedByteAt { get; set; }

    /// <summary>The Retry-After of the rate-limiting modes, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>When set, the storage sends the zip at about this many bytes per second, as a slow network would.</summary>
    public int? StorageBytesPerSecond { get; set; }

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>The storage's ETag for the zip it serves now.</summary>
    public string ETag => $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Zip))[..16]}\"";

    /// <summary>The Range header of each storage request ("" when none).</summary>
    public ConcurrentQueue<string> StorageRanges { get; } = new();

    private int _storageRequests;

    /// <summary>User-Agent headers the API saw.</summary>
    public ConcurrentQueue<string> UserAgents { get; } = new();

    /// <summary>Authorization headers seen on the storage path, where none should arrive.</summary>
    public ConcurrentQueue<string> CredentialsSentToStorage { get; } = new();

    public Uri ApiBaseAddress { get; private set; } = null!;

    public int DownloadRequests => _downloadRequests;

    public Uri StorageBaseAddress { get; private set; } = null!;

    public static async Task<FakeKaggleServer> StartAsync()
    {
        var app = Build();
        var storage = Build();
        var server = new FakeKaggleServer(app, storage);
        server.Map(app);
        server.MapStorage(storage);
        await app.StartAsync();
        await storage.StartAsync();
        var address = Address(app);
        server.ApiBaseAddress = new Uri(address + "/api/v1/");
        server.RpcBaseAddress = new Uri(address + "/v1/");
        server.StorageBaseAddress = new Uri(Address(storage) + "/");
        return server;

        static WebApplication Build()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            return builder.Build();
        }

        static string Address(WebApplication app) =>
            app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
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
        await _storage.StopAsync();
        await _storage.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/api/v1/datasets/view/{owner}/{slug}", (HttpContext context, string owner, string slug) =>
            Guard(context, "rest:view", owner, slug) ?? View(owner, slug));
        app.MapGet("/api/v1/datasets/list/{owner}/{slug}", (HttpContext context, string owner, string slug) =>
            Guard(context, "rest:list", owner, slug) ?? ListPage(context.Request.Query["pageToken"]));
        app.MapGet("/api/v1/datasets/download/{owner}/{slug}", (HttpContext context, string owner, string slug) =>
            Download(context, "rest:download", owner, slug, context.Request.Query["datasetVersionNumber"]));

        app.MapPost("/v1/datasets.DatasetApiService/{method}", async (HttpContext context, string method) =>
        {
            if (!RpcAvailable)
            {
                return Results.Text("Not Found", "text/plain", statusCode: 404);
            }

            var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
            string? Field(string name) => body.RootElement.TryGetProperty(name, out var value) ? value.ToString() : null;
            var (owner, slug) = (Field("ownerSlug") ?? string.Empty, Field("datasetSlug") ?? string.Empty);
            var call = "rpc:" + method;
            return method switch
            {
                "GetDataset" => Guard(context, call, owner, slug) ?? View(owner, slug),
                "ListDatasetFiles" => Guard(context, call, owner, slug) ?? ListPage(Field("pageToken")),
                "DownloadDataset" => Download(context, call, owner, slug, Field("datasetVersionNumber")),
                _ => Results.Json(new { code = 404, message = $"Method {method} not found" }, statusCode: 404),
            };
        });
    }

    private IResult View(string owner, string slug) =>
        Results.Json(new { @ref = $"{owner}/{slug}", title = "Israeli Supermarkets 2024", currentVersionNumber = Version, totalBytes = Zip.Length });

    private IResult ListPage(string? pageToken)
    {
        // Two pages, so the client's paging is exercised.
        var names = Listing?.ToList() ?? ZipNames().Select(n => (n.Name, (long?)n.Size)).ToList();
        var second = pageToken == "page-2";
        var page = second ? names.Skip(1) : names.Take(1);
        return Results.Json(new
        {
            datasetFiles = page.Select(n => new { name = n.Name, totalBytes = n.Size, creationDate = "2024-10-26T00:00:00Z" }),
            errorMessage = (string?)null,
            nextPageToken = second || names.Count < 2 ? string.Empty : "page-2",
        });
    }

    private IResult Download(HttpContext context, string call, string owner, string slug, string? version)
    {
        var attempt = Interlocked.Increment(ref _downloadRequests);
        Log.Enqueue($"download attempt {attempt} version={version}");
        if (Guard(context, call, owner, slug) is { } refusal)
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

        var signed = Interlocked.Increment(ref _signedUrls);
        return Results.Redirect(
            $"{StorageBaseAddress}storage/{Guid.NewGuid():N}/{slug}.zip?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=600&X-Goog-Signature={SignatureSecret}{signed}");
    }

    private void MapStorage(WebApplication app)
    {
        app.MapGet("/storage/{token}/{file}", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization.Count > 0)
            {
                CredentialsSentToStorage.Enqueue(context.Request.Headers.Authorization.ToString());
                await StorageErrorAsync(context, "InvalidArgument", "Cannot use a signed URL together with the Authorization header.");
                return;
            }

            var storageRequest = Interlocked.Increment(ref _storageRequests);
            var signature = context.Request.Query["X-Goog-Signature"].ToString();
            if (!signature.StartsWith(SignatureSecret, StringComparison.Ordinal))
            {
                await StorageErrorAsync(context, "AccessDenied", "Anonymous caller does not have storage.objects.get access.", 403);
                return;
            }

            if (Mode == FakeKaggleMode.ExpiredSignatureOnce && signature == SignatureSecret + "1")
            {
                StorageRanges.Enqueue("expired");
                await StorageErrorAsync(context, "ExpiredToken", "Invalid argument.");
                return;
            }

            StorageRanges.Enqueue(context.Request.Headers.Range.ToString());
            context.Response.ContentType = "application/zip";
            var etag = $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Zip))[..16]}\"";
            context.Response.Headers.ETag = etag;
            context.Response.Headers.AcceptRanges = "bytes";
            if ((Mode == FakeKaggleMode.Normal || (Mode == FakeKaggleMode.CutOnce && storageRequest > 1))
                && System.Text.RegularExpressions.Regex.Match(context.Request.Headers.Range.ToString(), @"^bytes=(\d+)-$") is { Success: true } range
                && context.Request.Headers.IfRange.ToString() == etag)
            {
                var from = int.Parse(range.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (from >= Zip.Length)
                {
                    // What GCS and S3 answer to a range that starts at or past the end.
                    context.Response.StatusCode = 416;
                    context.Response.Headers.ContentRange = $"bytes */{Zip.Length}";
                    return;
                }

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

            if (StorageBytesPerSecond is { } rate)
            {
                const int chunk = 8 << 10;
                for (var offset = 0; offset < Zip.Length; offset += chunk)
                {
                    await context.Response.Body.WriteAsync(Zip.AsMemory(offset, Math.Min(chunk, Zip.Length - offset)));
                    await context.Response.Body.FlushAsync();
                    await Task.Delay(TimeSpan.FromSeconds((double)chunk / rate));
                }

                return;
            }

            await context.Response.Body.WriteAsync(Zip);
        });
    }

    private static async Task StorageErrorAsync(HttpContext context, string code, string message, int status = 400)
    {
        // Google Cloud Storage's XML error document; Details may quote the string to sign, never print it whole.
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml; charset=UTF-8";
        await context.Response.WriteAsync(
            $"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message><Details>X-Goog-Signature={SignatureSecret}</Details></Error>");
    }

    private IResult? Guard(HttpContext context, string call, string owner, string slug)
    {
        ApiCalls.Enqueue(call);
        UserAgents.Enqueue(context.Request.Headers.UserAgent.ToString());
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Key}"));
        var authorization = context.Request.Headers.Authorization.ToString();
        if ((authorization != basic || !AcceptLegacyKey) && authorization != "Bearer " + Token)
        {
            Log.Enqueue("unauthorized");
            return Results.Json(new { code = 401, message = "Unauthenticated" }, statusCode: 401);
        }

        if (Mode is FakeKaggleMode.AlwaysTooManyRequestsFlat or FakeKaggleMode.AlwaysTooManyRequestsNested)
        {
            // A client that comes back before the Retry-After it was given is told so, as a distinct error: a test
            // then sees whether the wait was honoured from the answer, not from a stopwatch.
            var now = DateTimeOffset.UtcNow;
            if (now < _retryNotBefore)
            {
                return Results.Json(new { code = 400, message = "Retried before the Retry-After it was given." }, statusCode: 400);
            }

            _retryNotBefore = now.AddSeconds(RetryAfterSeconds);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            const string message = "Rate limit exceeded for datasets.DatasetApiService.";
            return Mode == FakeKaggleMode.AlwaysTooManyRequestsFlat
                ? Results.Json(new { code = 429, message }, statusCode: 429)
                : Results.Json(new { error = new { code = 429, message, status = "RESOURCE_EXHAUSTED" } }, statusCode: 429);
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
