using System.Text.Json.Serialization;

namespace KaggleStorage.Manifests;

/// <summary>Source-generated JSON metadata for every document the store writes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DownloadManifest))]
[JsonSerializable(typeof(LoadSummary))]
[JsonSerializable(typeof(ValidationReport))]
[JsonSerializable(typeof(KaggleStorage.Archival.ArchiveIndex))]
[JsonSerializable(typeof(KaggleStorage.Migration.MigrationJournal))]
[JsonSerializable(typeof(KaggleStorage.Kaggle.DownloadCheck))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
