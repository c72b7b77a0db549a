using System.Text.Json.Serialization;

namespace KaggleStorage.Kaggle;

/// <summary>Source-generated JSON metadata of this folder's documents, with the options of every store document.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DownloadCheck))]
internal sealed partial class DownloadJsonContext : JsonSerializerContext;
