using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KaggleStorage.IO;
using KaggleStorage.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Kaggle;

/// <summary>
/// Kaggle's dataset API, in the dialect <see cref="KaggleClientOptions.Protocol"/> picks: the RPC API
/// (<c>POST {RpcBaseAddress}datasets.DatasetApiService/{Method}</c> with a JSON body) or the REST v1 API
/// (<c>GET {ApiBaseAddress}datasets/…</c>). Both answer a download with a redirect to a signed storage URL; that URL
/// is fetched by a second client that never sends the credentials, never logs the URL (its query string is a
/// credential), and is asked again from the API when the storage refuses it (an expired signature).
/// </summary>
internal sealed partial class KaggleApiClient(IHttpClientFactory httpClients, IOptions<KaggleClientOptions> options, ILogger<KaggleApiClient> logger)
{
    /// <summary>The named <see cref="HttpClient"/> for the API: credentials, retries of 429 and 5xx, no redirects.</summary>
    public const string ApiClientName = "KaggleStorage.Kaggle.Api";

    /// <summary>The named <see cref="HttpClient"/> for signed storage URLs: no credentials, no logging.</summary>
    public const string StorageClientName = "KaggleStorage.Kaggle.Storage";

    private const string RpcService = "datasets.DatasetApiService/";
    private const int BufferSize = 1 << 20;
    private int _restOnly;

    private KaggleClientOptions Kaggle => options.Value;

    /// <summary>The dataset's page on kaggle.com, which the manifest names as the data's source.</summary>
    public static string GetPageUri(string datasetId, int? version) =>
        $"https://www.kaggle.com/datasets/{datasetId}" + (version is { } v ? $"/versions/{v.ToString(CultureInfo.InvariantCulture)}" : string.Empty);

    /// <summary>Asks Kaggle for the dataset's current version and files.</summary>
    public async Task<KaggleDatasetInfo> GetDatasetInfoAsync(string datasetId, KaggleCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var (owner, slug) = Split(datasetId);
        KaggleDatasetResponse? dataset;
        using (var view = await CallApiAsync(datasetId, credentials, "GetDataset", new KaggleRpcRequest(owner, slug), $"datasets/view/{datasetId}", cancellationToken))
        {
            dataset = await JsonSerializer.DeserializeAsync(
                await view.Content.ReadAsStreamAsync(cancellationToken), KaggleJsonContext.Default.KaggleDatasetResponse, cancellationToken);
        }

        var version = dataset?.CurrentVersionNumber;
        var files = new List<KaggleFileInfo>();
        string? pageToken = null;
        do
        {
            // The listing of the very version the zip is asked for: the download is checked against it.
            var query = string.Join('&', new[]
            {
                version is { } v ? $"datasetVersionNumber={v.ToString(CultureInfo.InvariantCulture)}" : null,
                pageToken is null ? null : $"pageToken={Uri.EscapeDataString(pageToken)}",
            }.Where(part => part is not null));
            var rest = $"datasets/list/{datasetId}" + (query.Length == 0 ? string.Empty : "?" + query);
            using var list = await CallApiAsync(
                datasetId, credentials, "ListDatasetFiles", new KaggleRpcRequest(owner, slug, version, pageToken), rest, cancellationToken);
            var page = await JsonSerializer.DeserializeAsync(
                await list.Content.ReadAsStreamAsync(cancellationToken), KaggleJsonContext.Default.KaggleListFilesResponse, cancellationToken);
            if (!string.IsNullOrEmpty(page?.ErrorMessage))
            {
                throw new StorageOperationException($"Kaggle could not list the files of {datasetId}: {page.ErrorMessage}");
            }

            files.AddRange((page?.DatasetFiles ?? []).Where(f => f.Name is not null).Select(f => new KaggleFileInfo(f.Name!, f.TotalBytes)));
            pageToken = string.IsNullOrEmpty(page?.NextPageToken) ? null : page.NextPageToken;
        }
        while (pageToken is not null);

        return new KaggleDatasetInfo(datasetId, dataset?.Title, version, files);
    }

    /// <summary>
    /// Streams the dataset's zip into <paramref name="destination"/> (seekable; what it already holds is resumed
    /// from) and returns its length. Each attempt asks the API for a fresh signed storage URL, then fetches it with
    /// <c>Range: bytes=N-</c> guarded by <c>If-Range</c> when there is something to resume; a cut, stalled or refused
    /// transfer is a failed attempt, retried up to <see cref="KaggleClientOptions.MaxRetries"/> times with
    /// exponential backoff.
    /// </summary>
    /// <exception cref="StorageOperationException">Rejected credentials, unknown dataset, or a transfer that kept failing.</exception>
    /// <exception cref="InvalidDataException">The whole file does not match the storage's MD5.</exception>
    public async Task<long> DownloadAsync(
        string datasetId,
        int? version,
        KaggleCredentials credentials,
        Stream destination,
        IProgress<(long Bytes, long? Total)>? progress,
        CancellationToken cancellationToken,
        string? resumeValidator = null,
        Action<string>? onValidator = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (owner, slug) = Split(datasetId);
        var attempts = Kaggle.MaxRetries + 1;
        var validator = resumeValidator;
        string? expectedMd5 = null;
        for (var attempt = 1; ; attempt++)
        {
            var resumeFrom = validator is null ? 0 : destination.Length;
            try
            {
                // The API answers with a redirect to storage; a mirror may serve the bytes itself.
                using var answer = await CallApiAsync(
                    datasetId,
                    credentials,
                    "DownloadDataset",
                    new KaggleRpcRequest(owner, slug, version),
                    $"datasets/download/{datasetId}{(version is { } v ? $"?datasetVersionNumber={v}" : string.Empty)}",
                    cancellationToken);
                var (response, alreadyComplete) = IsRedirect(answer.StatusCode)
                    ? await GetFromStorageAsync(StorageUri(answer), resumeFrom, validator, cancellationToken)
                    : (null, false);
                using var fromStorage = response;
                if (alreadyComplete)
                {
                    // The kept partial is the whole object already (the storage says so with 416 and its length).
                    break;
                }

                var body = response ?? answer;

                // 206 from exactly where the last attempt stopped continues; anything else (the object changed, or
                // the storage ignores ranges) starts over.
                var resumed = body.StatusCode == HttpStatusCode.PartialContent && resumeFrom > 0;
                if (resumed && body.Content.Headers.ContentRange?.From != resumeFrom)
                {
                    throw new StartOverException($"the storage resumed from byte {body.Content.Headers.ContentRange?.From} instead of {resumeFrom}; starting over");
                }

                if (!resumed)
                {
                    destination.SetLength(0);
                }

                destination.Position = destination.Length;
                validator = body.Headers.ETag?.ToString() ?? body.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture);
                if (validator is not null)
                {
                    onValidator?.Invoke(validator);
                }

                // The hash describes the object this response belongs to: a transfer that starts over takes only its own.
                expectedMd5 = resumed ? StorageMd5(body) ?? expectedMd5 : StorageMd5(body);
                var total = resumed ? body.Content.Headers.ContentRange?.Length : body.Content.Headers.ContentLength;
                await CopyBodyAsync(body, destination, datasetId, total, progress, Kaggle.StallTimeout, cancellationToken);
                if (total is { } expected && destination.Length != expected)
                {
                    throw new IOException($"the transfer ended after {destination.Length} of {expected} bytes");
                }

                break;
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TimeoutException && attempt < attempts)
            {
                if (exception is StartOverException)
                {
                    validator = null;
                }

                logger.LogWarning("Attempt {Attempt} of {Attempts} to download {Dataset} failed after {Bytes} bytes: {Reason}", attempt, attempts, datasetId, destination.Length, exception.Message);
                await Task.Delay(Kaggle.RetryBaseDelay * Math.Pow(2, attempt - 1), cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TimeoutException)
            {
                throw new StorageOperationException(
                    $"The download of {datasetId} failed after {Quantity.Of(attempt, "attempt")}, {destination.Length} bytes in: {exception.Message}", exception);
            }
        }

        if (expectedMd5 is not null)
        {
            destination.Position = 0;
#pragma warning disable CA5351 // The storage's own integrity hash; compared, not trusted for security.
            var actual = Convert.ToBase64String(await System.Security.Cryptography.MD5.HashDataAsync(destination, cancellationToken));
#pragma warning restore CA5351
            if (actual != expectedMd5)
            {
                throw new InvalidDataException(
                    $"The download of {datasetId} is corrupt: its MD5 is {actual}, the storage's x-goog-hash says {expectedMd5}; the zip was discarded and nothing was published.");
            }
        }

        return destination.Length;
    }

    private static (string Owner, string Slug) Split(string datasetId) =>
        datasetId.Split('/') is [var owner, var slug] ? (owner, slug) : throw new ArgumentException($"'{datasetId}' is not a dataset id of the form owner/slug.", nameof(datasetId));

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    private static Uri StorageUri(HttpResponseMessage answer) =>
        answer.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(answer.RequestMessage!.RequestUri!, location)
            : throw new IOException($"Kaggle answered the download with HTTP {(int)answer.StatusCode} but named no storage location");

    /// <summary>Where a signed URL points, without its query string, which is the credential.</summary>
    private static string Describe(Uri storage) => storage.GetLeftPart(UriPartial.Authority);

    private static async Task CopyBodyAsync(
        HttpResponseMessage response, Stream destination, string datasetId, long? total, IProgress<(long Bytes, long? Total)>? progress, TimeSpan stallAfter, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                // Every read must bring bytes within the stall timeout; a silent connection is a failed attempt,
                // not a two-hour hang.
                stall.CancelAfter(stallAfter);
                var read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token);
                if (read == 0)
                {
                    return;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                progress?.Report((destination.Length, total));
            }
        }
        catch (OperationCanceledException exception) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{datasetId} stalled: no data for {stallAfter} (KaggleStorage:Kaggle:StallTimeout)", exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The MD5 that Google Cloud Storage sends in <c>x-goog-hash: crc32c=…,md5=…</c> (base64), if any.</summary>
    private static string? StorageMd5(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("x-goog-hash", out var values))
        {
            return null;
        }

        return values.SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries))
            .Where(part => part.StartsWith("md5=", StringComparison.Ordinal))
            .Select(part => part[4..])
            .FirstOrDefault();
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadAsStringAsync(cancellationToken)).ReplaceLineEndings(" ").Trim();
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }

    private static string Quote(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>
    /// Fetches the signed URL without credentials (storage refuses a request that carries two kinds of
    /// authentication). A refusal is an <see cref="IOException"/>, so the next attempt asks the API for a new URL.
    /// </summary>
    private async Task<(HttpResponseMessage? Response, bool AlreadyComplete)> GetFromStorageAsync(
        Uri storage, long resumeFrom, string? validator, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, storage);
        if (resumeFrom > 0 && TryCreateIfRange(validator) is { } ifRange)
        {
            request.Headers.Range = new RangeHeaderValue(resumeFrom, null);
            request.Headers.IfRange = ifRange;
        }

        HttpResponseMessage response;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(Kaggle.StallTimeout);
        try
        {
            response = await httpClients.CreateClient(StorageClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        }
        catch (HttpRequestException exception)
        {
            // The exception's own text names host and port at most; the URL (and its signature) stays out.
            throw new HttpRequestException($"the storage at {Describe(storage)} could not be reached: {exception.Message}", exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the storage at {Describe(storage)} did not answer within {Kaggle.StallTimeout} (KaggleStorage:Kaggle:StallTimeout)", exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return (response, false);
        }

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && request.Headers.Range is not null)
        {
            var whole = response.Content.Headers.ContentRange?.Length;
            response.Dispose();
            return whole == resumeFrom
                ? (null, true)
                : throw new StartOverException($"the storage cannot resume from byte {resumeFrom} (the object has {whole?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of"} bytes); starting over");
        }

        var said = StorageErrorCode(await ReadBodyAsync(response, cancellationToken));
        var status = (int)response.StatusCode;
        response.Dispose();
        throw new IOException(status is 400 or 401 or 403
            ? $"the storage at {Describe(storage)} refused the signed download URL with HTTP {status}{said} (an expired signature gets a fresh URL on the next attempt)"
            : $"the storage at {Describe(storage)} answered HTTP {status}{said}");
    }

    /// <summary>The If-Range condition for a kept validator; null (start over) when it does not parse.</summary>
    private static RangeConditionHeaderValue? TryCreateIfRange(string? validator)
    {
        if (string.IsNullOrWhiteSpace(validator))
        {
            return null;
        }

        var weak = validator.StartsWith("W/", StringComparison.Ordinal);
        var tag = weak ? validator[2..] : validator;
        if (tag.StartsWith('"'))
        {
            return EntityTagHeaderValue.TryParse(validator, out var entityTag) ? new RangeConditionHeaderValue(entityTag) : null;
        }

        return DateTimeOffset.TryParse(validator, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified)
            ? new RangeConditionHeaderValue(modified)
            : null;
    }

    /// <summary>The code and message of a storage error document (GCS and S3 send XML), never its other details.</summary>
    private static string StorageErrorCode(string body)
    {
        var code = StorageErrorPart().Match(body) is { Success: true } c ? c.Groups[1].Value : null;
        var message = StorageMessagePart().Match(body) is { Success: true } m ? m.Groups[1].Value : null;
        return code is null && message is null ? string.Empty : $" ({string.Join(": ", new[] { code, message }.Where(p => p is not null))})";
    }

    [GeneratedRegex("<Code>([^<]{1,100})</Code>")]
    private static partial Regex StorageErrorPart();

    [GeneratedRegex("<Message>([^<]{1,200})</Message>")]
    private static partial Regex StorageMessagePart();

    /// <summary>
    /// Calls one API method in the configured dialect and returns a success or redirect; Auto falls back from RPC to
    /// REST, for the rest of this client's life, when the RPC API is unreachable or missing.
    /// </summary>
    private async Task<HttpResponseMessage> CallApiAsync(
        string datasetId, KaggleCredentials credentials, string rpcMethod, KaggleRpcRequest rpcBody, string restPath, CancellationToken cancellationToken)
    {
        var protocol = Kaggle.Protocol;
        if (protocol != KaggleProtocol.Rest && Volatile.Read(ref _restOnly) == 0)
        {
            var uri = new Uri(Kaggle.RpcBaseAddress, RpcService + rpcMethod);
            string missing;
            var forGood = false;
            try
            {
                var response = await SendAsync(HttpMethod.Post, uri, JsonContent.Create(rpcBody, KaggleJsonContext.Default.KaggleRpcRequest), credentials, cancellationToken);
                var failure = await AcceptAsync(response, datasetId, credentials, uri, cancellationToken);
                if (failure is null)
                {
                    return response;
                }

                if (protocol == KaggleProtocol.Rpc || !failure.EndpointMissing)
                {
                    throw failure.Exception;
                }

                // The method does not exist there: the REST API from now on.
                (missing, forGood) = ($"HTTP {failure.Status}", true);
            }
            catch (Exception exception) when (exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException && protocol == KaggleProtocol.Auto)
            {
                // Unreachable now may be a glitch: REST for this call only.
                missing = exception.Message;
            }
            catch (Exception exception) when (exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
            {
                throw new StorageOperationException($"Kaggle's API at {uri} could not be reached: {exception.Message}", exception);
            }

            logger.LogWarning(
                "Kaggle's RPC API at {RpcBaseAddress} is not available ({Reason}); using the REST API at {ApiBaseAddress}{Scope}",
                Kaggle.RpcBaseAddress, missing, Kaggle.ApiBaseAddress, forGood ? string.Empty : " for this call");
            if (forGood)
            {
                Interlocked.Exchange(ref _restOnly, 1);
            }
        }

        var rest = new Uri(Kaggle.ApiBaseAddress, restPath);
        try
        {
            var response = await SendAsync(HttpMethod.Get, rest, content: null, credentials, cancellationToken);
            return await AcceptAsync(response, datasetId, credentials, rest, cancellationToken) is { } failure ? throw failure.Exception : response;
        }
        catch (Exception exception) when (exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            throw new StorageOperationException($"Kaggle's API at {rest} could not be reached: {exception.Message}", exception);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, HttpContent? content, KaggleCredentials credentials, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = credentials.IsApiToken
            ? new AuthenticationHeaderValue("Bearer", credentials.Key)
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Key}")));
        return await httpClients.CreateClient(ApiClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Null for a success or redirect; otherwise what went wrong, with Kaggle's own message quoted.</summary>
    private static async Task<ApiFailure?> AcceptAsync(
        HttpResponseMessage response, string datasetId, KaggleCredentials credentials, Uri uri, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || IsRedirect(response.StatusCode))
        {
            return null;
        }

        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter?.Delta;
        var body = await ReadBodyAsync(response, cancellationToken);
        response.Dispose();

        // Kaggle's errors come as {"code":…,"message":…} or {"error":{"code":…,"message":…}}; anything else at 404,
        // 405 or 501 means the method itself is missing (an old mirror, a proxy), not the dataset.
        var message = KaggleErrorMessage(body);
        var quoted = message ?? (body.Length > 0 && !body.StartsWith('<') ? Quote(body) : null);
        var said = quoted is null ? string.Empty : $" (Kaggle said: {quoted})";
        var exception = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized =>
                new StorageOperationException($"Kaggle rejected the credentials ({credentials}) with HTTP 401{said}; check the token or key."),
            HttpStatusCode.Forbidden =>
                new StorageOperationException(
                    $"Kaggle refused {datasetId} to {credentials} with HTTP 403{said}: usually the dataset's rules were not accepted on kaggle.com (open the dataset page and accept them), or the dataset is private."),
            HttpStatusCode.NotFound =>
                new StorageOperationException($"Kaggle dataset {datasetId} was not found (HTTP 404){said}; check KaggleStorage:DatasetId."),
            HttpStatusCode.TooManyRequests =>
                new StorageOperationException(
                    $"Kaggle kept answering HTTP 429 (too many requests){said}{(retryAfter is { } wait ? $", asking to wait {wait.TotalSeconds:0} s" : string.Empty)}; try again later."),
            _ => new StorageOperationException($"Kaggle's API answered HTTP {status}{said} for {uri.GetLeftPart(UriPartial.Path)} after retries."),
        };
        return new ApiFailure(status, message is null && status is 404 or 405 or 501, exception);
    }

    private static string? KaggleErrorMessage(string body)
    {
        if (!body.StartsWith('{'))
        {
            return null;
        }

        try
        {
            var error = JsonSerializer.Deserialize(body, KaggleJsonContext.Default.KaggleErrorResponse);
            return Quote(error?.Message ?? error?.Error?.Message ?? string.Empty) is { Length: > 0 } message ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record ApiFailure(int Status, bool EndpointMissing, StorageOperationException Exception);

    /// <summary>What was kept cannot be resumed: the next attempt fetches the whole object.</summary>
    private sealed class StartOverException(string message) : IOException(message);
}
