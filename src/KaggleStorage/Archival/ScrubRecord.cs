using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>
/// <c>metadata/scrub/archives.json</c>: when each archive was last read end to end and what that found. Its name
/// carries no date and every scrub rewrites it, so retention of <c>metadata/</c> never prunes it while scrubs run.
/// </summary>
internal sealed record ScrubRecord : IManifest<ScrubRecord>
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    static System.Text.Json.Serialization.Metadata.JsonTypeInfo<ScrubRecord> IManifest<ScrubRecord>.JsonTypeInfo => ArchiveJsonContext.Default.ScrubRecord;

    static int IManifest<ScrubRecord>.NewestSchemaVersion => CurrentSchemaVersion;

    string? IManifest<ScrubRecord>.FindNullEntry() => ManifestNulls.FirstNull(Archives, "$.archives")
        ?? Archives.Select((entry, i) => entry.Problems is null ? $"$.archives[{i}].problems" : ManifestNulls.FirstNull(entry.Problems, $"$.archives[{i}].problems"))
            .FirstOrDefault(found => found is not null);

    /// <summary>One entry per archived day, oldest day first.</summary>
    public required IReadOnlyList<ScrubRecordEntry> Archives { get; init; }
}
