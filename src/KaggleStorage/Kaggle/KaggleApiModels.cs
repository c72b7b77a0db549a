using System.Text.Json.Serialization;

namespace KaggleStorage.Kaggle;

// The subset of Kaggle's responses this client reads (GetDataset / datasets/view, ListDatasetFiles / datasets/list);
// both dialects use the same field names. Unknown fields
// are ignored, so additions on Kaggle's side do not break it.
internal sealed record KaggleDatasetResponse(
    [property: JsonPropertyName("ref")] string? Ref,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("currentVersionNumber")] int? CurrentVersionNumber,
    [property: JsonPropertyName("totalBytes")] long? TotalBytes);

internal sealed record KaggleDatasetFileResponse(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("totalBytes")] long? TotalBytes);

internal sealed record KaggleListFilesResponse(
    [property: JsonPropertyName("datasetFiles")] IReadOnlyList<KaggleDatasetFileResponse>? DatasetFiles,
    [property: JsonPropertyName("errorMessage")] string? ErrorMessage,
    [property: JsonPropertyName("nextPageToken")] string? NextPageToken);

// The body of an RPC call to datasets.DatasetApiService (GetDataset, ListDatasetFiles, DownloadDataset).
internal sealed record KaggleRpcRequest(
    [property: JsonPropertyName("ownerSlug")] string OwnerSlug,
    [property: JsonPropertyName("datasetSlug")] string DatasetSlug,
    [property: JsonPropertyName("datasetVersionNumber")] int? DatasetVersionNumber = null,
    [property: JsonPropertyName("pageToken")] string? PageToken = null);

// Kaggle's error bodies: {"code":429,"message":"…"} from the RPC API, {"error":{"code":429,"message":"…"}} elsewhere.
internal sealed record KaggleErrorResponse(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("error")] KaggleErrorDetail? Error);

internal sealed record KaggleErrorDetail([property: JsonPropertyName("message")] string? Message);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KaggleRpcRequest))]
[JsonSerializable(typeof(KaggleErrorResponse))]
[JsonSerializable(typeof(KaggleDatasetResponse))]
[JsonSerializable(typeof(KaggleListFilesResponse))]
internal sealed partial class KaggleJsonContext : JsonSerializerContext;
