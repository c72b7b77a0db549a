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

    /// <summary>Streams the dataset's zip into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="StorageOperationException">Rejected credentials, unknown dataset, or a cut-off download.</exception>
    public async Task<long> DownloadAsync(
        string datasetId,
        int? version,
        KaggleCredentials credentials,
        Stream destination,
        IProgress<(long Bytes, long? Total)>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await SendAsync(GetDownloadUri(datasetId, version).ToString(), datasetId, credentials, cancellationToken);
        var total = response.Content.Headers.ContentLength;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var expectedMd5 = StorageMd5(response);
        using var md5 = expectedMd5 is null ? null : System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long written = 0;
        var stallAfter = options.Value.Kaggle.StallTimeout;
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
                    break;
                }

                md5?.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                written += read;
                progress?.Report((written, total));
            }
        }
        catch (OperationCanceledException exception) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StorageOperationException(
                $"The download of {datasetId} stalled: no data for {stallAfter} (KaggleStorage:Kaggle:StallTimeout) after {written} bytes.", exception);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            throw new StorageOperationException($"The download of {datasetId} broke off after {written} bytes: {exception.Message}", exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (total is { } expected && written != expected)
        {
            throw new StorageOperationException($"The download of {datasetId} ended after {written} of {expected} bytes.");
        }

        if (md5 is not null && Convert.ToBase64String(md5.GetHashAndReset()) is var actual && actual != expectedMd5)
        {
            throw new StorageOperationException(
                $"The download of {datasetId} is corrupt: its MD5 is {actual}, the storage's x-goog-hash says {expectedMd5}; the zip was discarded and nothing was published.");
        }

        return written;
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

    private async Task<HttpResponseMessage> SendAsync(string path, string datasetId, KaggleCredentials credentials, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
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
