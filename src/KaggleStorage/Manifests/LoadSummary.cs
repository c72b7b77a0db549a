using KaggleStorage.Layout;

namespace KaggleStorage.Manifests;

/// <summary><c>processed/YYYYMMDD/load_summary.json</c>: what the ETL loaded from a raw partition.</summary>
public sealed record LoadSummary : IManifest<LoadSummary>
{
    /// <summary>The file name inside a processed partition.</summary>
    public const string FileName = "load_summary.json";

    /// <summary>The schema version this library writes and the newest it reads.</summary>
    internal const int CurrentSchemaVersion = 1;

    /// <inheritdoc />
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    static System.Text.Json.Serialization.Metadata.JsonTypeInfo<LoadSummary> IManifest<LoadSummary>.JsonTypeInfo => ManifestJsonContext.Default.LoadSummary;

    static int IManifest<LoadSummary>.NewestSchemaVersion => CurrentSchemaVersion;

    string? IManifest<LoadSummary>.FindNullEntry() => ManifestNulls.FirstNull(Files, "$.files");

    /// <summary>The day loaded.</summary>
    public required PartitionDate Partition { get; init; }

    /// <summary>When the load started, UTC.</summary>
    public required DateTimeOffset StartedAtUtc { get; init; }

    /// <summary>When the load finished, UTC.</summary>
    public required DateTimeOffset CompletedAtUtc { get; init; }

    /// <summary>Overall outcome.</summary>
    public required LoadStatus Status { get; init; }

    /// <summary>Per-file counts, ordinal order of name.</summary>
    public required IReadOnlyList<LoadedFile> Files { get; init; }
}
