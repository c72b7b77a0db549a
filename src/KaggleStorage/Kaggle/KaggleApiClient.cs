using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KaggleStorage.Errors;

namespace KaggleStorage.Kaggle;

/// <summary>
/// Kaggle's REST API v1 over a typed <see cref="HttpClient"/> (base address from
/// <see cref="KaggleClientOptions.ApiBaseAddress"/>, retries from the resilience pipeline): dataset details
/// (<c>GET datasets/view/{owner}/{slug}</c>), its files (<c>GET datasets/list/{owner}/{slug}</c>, paged), and the
/// zip (<c>GET datasets/download/{owner}/{slug}</c>, which redirects to storage; the redirect is followed without
/// the credentials). Responses are streamed, never buffered whole.
/// </summary>
public sealed class KaggleApiClient(HttpClient httpClient, Microsoft.Extensions.Options.IOptions<Layout.KaggleStorageOptions> options)
{
    private const int BufferSize = 1 << 20;

    /// <summary>The API URL a dataset's zip is requested from (no credentials in it).</summary>
    public Uri GetDownloadUri(string datasetId, int? version) =>
        new(httpClient.BaseAddress!, $"datasets/download/{datasetId}{(version is { } v ? $"?datasetVersionNumber={v}" : string.Empty)}");

    /// <summary>Asks Kaggle for the dataset's current version and files.</summary>
    public async Task<KaggleDatasetInfo> GetDatasetInfoAsync(string datasetId, KaggleCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        using var view = await SendAsync($"datasets/view/{datasetId}", datasetId, credentials, cancellationToken);
        var dataset = await JsonSerializer.DeserializeAsync(
            await view.Content.ReadAsStreamAsync(cancellationToken), KaggleJsonContext.Default.KaggleDatasetResponse, cancellationToken);

        var files = new List<KaggleFileInfo>();
        string? pageToken = null;
        do
        {
            var path = $"datasets/list/{datasetId}" + (pageToken is null ? string.Empty : $"?pageToken={Uri.EscapeDataString(pageToken)}");
            using var list = await SendAsync(path, datasetId, credentials, cancellationToken);
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

        return new KaggleDatasetInfo(datasetId, dataset?.Title, dataset?.CurrentVersionNumber, files);
    }

    /// <summary>
    /// Streams the dataset's zip into <paramref name="destination"/> (seekable; what it already holds is resumed
    /// from) and returns its length. A transfer that breaks off or stalls is resumed with <c>Range: bytes=N-</c>,
    /// guarded by <c>If-Range</c> with the storage's ETag or Last-Modified, up to
    /// <see cref="KaggleClientOptions.MaxRetries"/> times with exponential backoff; each attempt asks the API again,
    /// so an expired signed storage URL is replaced by a fresh one.
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
        var kaggle = options.Value.Kaggle;
        var attempts = kaggle.MaxRetries + 1;
        string? validator = resumeValidator;
        string? expectedMd5 = null;
        long? total = null;
        for (var attempt = 1; ; attempt++)
        {
            var resumeFrom = validator is null ? 0 : destination.Length;
            using var response = await SendAsync(
                GetDownloadUri(datasetId, version).ToString(),
                datasetId,
                credentials,
                cancellationToken,
                request =>
                {
                    if (resumeFrom > 0)
                    {
                        request.Headers.Range = new RangeHeaderValue(resumeFrom, null);
                        request.Headers.IfRange = validator!.StartsWith('"') || validator.StartsWith("W/", StringComparison.Ordinal)
                            ? new RangeConditionHeaderValue(new EntityTagHeaderValue(validator.TrimStart('W', '/'), validator.StartsWith("W/", StringComparison.Ordinal)))
                            : new RangeConditionHeaderValue(DateTimeOffset.Parse(validator, System.Globalization.CultureInfo.InvariantCulture));
                    }
                });

            // 206 continues where the last attempt stopped; anything else (the object changed, or the storage ignores
            // ranges) starts over.
            var resumed = response.StatusCode == HttpStatusCode.PartialContent && resumeFrom > 0;
            if (!resumed)
            {
                destination.SetLength(0);
            }

            destination.Position = destination.Length;
            validator = response.Headers.ETag?.ToString() ?? response.Content.Headers.LastModified?.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (validator is not null)
            {
                onValidator?.Invoke(validator);
            }

            expectedMd5 = StorageMd5(response) ?? expectedMd5;
            total = resumed ? response.Content.Headers.ContentRange?.Length ?? total : response.Content.Headers.ContentLength;
            try
            {
                await CopyBodyAsync(response, destination, datasetId, total, progress, kaggle.StallTimeout, cancellationToken);
                if (total is { } expected && destination.Length != expected)
                {
                    throw new IOException($"the transfer ended after {destination.Length} of {expected} bytes");
                }

                break;
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TimeoutException && attempt < attempts)
            {
                // Wait and ask again, from where it stopped when the storage named a validator for If-Range (a fresh
                // signed URL comes with the new redirect).
                await Task.Delay(kaggle.RetryBaseDelay * Math.Pow(2, attempt - 1), cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TimeoutException)
            {
                throw new StorageOperationException(
                    $"The download of {datasetId} failed after {attempt} attempt(s), {destination.Length} bytes in: {exception.Message}", exception);
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

    /// <summary>The start of what the server said, to quote in an error; never the request, which holds the secret.</summary>
    private static async Task<string> ReadServerMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = (await response.Content.ReadAsStringAsync(cancellationToken)).ReplaceLineEndings(" ").Trim();
            return text.Length == 0 ? string.Empty : $" (Kaggle said: {(text.Length > 300 ? text[..300] + "…" : text)})";
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        string path, string datasetId, KaggleCredentials credentials, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        request.Headers.Authorization = credentials.IsApiToken
            ? new AuthenticationHeaderValue("Bearer", credentials.Key)
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Key}")));
        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new StorageOperationException($"Kaggle could not be reached for {new Uri(httpClient.BaseAddress!, path)}: {exception.Message}", exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = (int)response.StatusCode;
        var said = await ReadServerMessageAsync(response, cancellationToken);
        response.Dispose();
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized =>
                new StorageOperationException($"Kaggle rejected the credentials ({credentials}) with HTTP 401{said}; check the token or key."),
            HttpStatusCode.Forbidden =>
                new StorageOperationException(
                    $"Kaggle refused {datasetId} to {credentials} with HTTP 403{said}: usually the dataset's rules were not accepted on kaggle.com (open the dataset page and accept them), or the dataset is private."),
            HttpStatusCode.NotFound =>
                new StorageOperationException($"Kaggle dataset {datasetId} was not found (HTTP 404); check KaggleStorage:DatasetId."),
            _ => new StorageOperationException($"Kaggle answered HTTP {status} for {path} after retries."),
        };
    }
}
