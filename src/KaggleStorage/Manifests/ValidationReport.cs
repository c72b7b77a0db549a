using KaggleStorage.Layout;

namespace KaggleStorage.Manifests;

/// <summary><c>processed/YYYYMMDD/validation_report.json</c>: the checks run on a partition and their outcome.</summary>
public sealed record ValidationReport : IManifest<ValidationReport>
{
    /// <summary>The file name inside a processed partition.</summary>
    public const string FileName = "validation_report.json";

    /// <summary>The schema version this library writes and the newest it reads.</summary>
    internal const int CurrentSchemaVersion = 1;

    /// <inheritdoc />
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    static System.Text.Json.Serialization.Metadata.JsonTypeInfo<ValidationReport> IManifest<ValidationReport>.JsonTypeInfo => ManifestJsonContext.Default.ValidationReport;

    static int IManifest<ValidationReport>.NewestSchemaVersion => CurrentSchemaVersion;

    string? IManifest<ValidationReport>.FindNullEntry() => ManifestNulls.FirstNull(Checks, "$.checks");

    /// <summary>The day checked.</summary>
    public required PartitionDate Partition { get; init; }

    /// <summary>When the checks ran, UTC.</summary>
    public required DateTimeOffset CheckedAtUtc { get; init; }

    /// <summary>The worst status of the checks.</summary>
    public required CheckStatus Status { get; init; }

    /// <summary>Every check run.</summary>
    public required IReadOnlyList<ValidationCheck> Checks { get; init; }
}
