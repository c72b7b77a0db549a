using KaggleStorage.Manifests;

namespace KaggleStorage.Migration;

/// <summary>
/// <c>metadata/migrations/&lt;UTC time&gt;.json</c>: what a migration or rollback did, rewritten atomically after
/// every partition so that a killed run still leaves an accurate record.
/// </summary>
internal sealed record MigrationJournal : IManifest<MigrationJournal>
{
    /// <summary>The folder of journals under the metadata area.</summary>
    public const string FolderName = "migrations";

    /// <summary>The schema version this library writes and the newest it reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <inheritdoc />
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    static System.Text.Json.Serialization.Metadata.JsonTypeInfo<MigrationJournal> IManifest<MigrationJournal>.JsonTypeInfo => MigrationJsonContext.Default.MigrationJournal;

    static int IManifest<MigrationJournal>.NewestSchemaVersion => CurrentSchemaVersion;

    string? IManifest<MigrationJournal>.FindNullEntry() => ManifestNulls.FirstNull(Entries, "$.entries")
        ?? Entries.Select((entry, i) => ManifestNulls.FirstNull(entry.Files, $"$.entries[{i}].files")).FirstOrDefault(found => found is not null);

    /// <summary><c>migrate</c> or <c>rollback</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>Where data was copied from.</summary>
    public required string Source { get; init; }

    /// <summary>Where it was copied to.</summary>
    public required string Destination { get; init; }

    /// <summary>When the run started, UTC.</summary>
    public required DateTimeOffset StartedAtUtc { get; init; }

    /// <summary>When it ended, UTC; null while running (or when it was killed).</summary>
    public DateTimeOffset? CompletedAtUtc { get; init; }

    /// <summary><c>running</c>, <c>succeeded</c>, <c>completedWithProblems</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Per partition and file, what happened.</summary>
    public required IReadOnlyList<JournalEntry> Entries { get; init; }
}
