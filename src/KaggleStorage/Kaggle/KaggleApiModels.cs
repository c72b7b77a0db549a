using System.Text.Json.Serialization;

namespace KaggleStorage.Kaggle;

// The subset of Kaggle's API v1 responses this client reads (GET datasets/view and datasets/list); unknown fields
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

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(KaggleDatasetResponse))]
[JsonSerializable(typeof(KaggleListFilesResponse))]
internal sealed partial class KaggleJsonContext : JsonSerializerContext;
