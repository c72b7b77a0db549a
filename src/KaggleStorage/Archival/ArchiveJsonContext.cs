using System.Text.Json.Serialization;

namespace KaggleStorage.Archival;

/// <summary>Source-generated JSON metadata of this folder's documents, with the options of every store document.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ArchiveIndex))]
[JsonSerializable(typeof(ScrubRecord))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;
