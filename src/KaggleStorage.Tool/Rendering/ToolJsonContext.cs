using System.Text.Json.Serialization;
using KaggleStorage.Status;
using KaggleStorage.Archival;
using KaggleStorage.Kaggle;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;
using KaggleStorage.Migration;
using KaggleStorage.Retention;
using KaggleStorage.Tool.Commands;

namespace KaggleStorage.Tool.Rendering;

/// <summary>Source-generated JSON for everything the tool prints under <c>--json</c>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoreStatus))]
[JsonSerializable(typeof(InitDocument))]
[JsonSerializable(typeof(ArchiveRunResult))]
[JsonSerializable(typeof(ArchivePlan))]
[JsonSerializable(typeof(RestoreResult))]
[JsonSerializable(typeof(VerificationReport))]
[JsonSerializable(typeof(ScrubResult))]
[JsonSerializable(typeof(PruneResult))]
[JsonSerializable(typeof(PrunePlan))]
[JsonSerializable(typeof(MigrationResult))]
[JsonSerializable(typeof(DownloadResult))]
[JsonSerializable(typeof(DownloadPlan))]
[JsonSerializable(typeof(ErrorDocument))]
internal sealed partial class ToolJsonContext : JsonSerializerContext
{
    /// <summary>The context every command prints with: the options above, and printable text left as itself.</summary>
    public static ToolJsonContext Output { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        // The same as the attribute above (which sets only Default's options), plus the encoder.
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        Encoder = ReadableJsonEncoder.Instance,
    });
}
