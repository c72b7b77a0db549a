using System.Text.Json.Serialization;

namespace KaggleStorage.Manifests;

/// <summary>Source-generated JSON metadata of the manifests in this folder; every folder keeps its own, with these options.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DownloadManifest))]
[JsonSerializable(typeof(LoadSummary))]
[JsonSerializable(typeof(ValidationReport))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
