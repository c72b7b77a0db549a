using KaggleStorage.Manifests;

namespace KaggleStorage.Migration;

/// <summary>One partition or file in a <see cref="MigrationJournal"/>.</summary>
/// <param name="Kind">A day, a file of reports or metadata, or a stray entry of the legacy folder.</param>
/// <param name="Name">The day (<c>YYYYMMDD</c>) or the file's path relative to its area.</param>
/// <param name="Outcome">Copied, skipped (identical already), conflict, refused or failed.</param>
/// <param name="Files">Every file copied or found identical, with size and SHA-256.</param>
/// <param name="ManifestWritten">Migration wrote the day's download manifest (the legacy day had none).</param>
/// <param name="SourceDeleted">The legacy copy was deleted after verification (<c>--delete-source</c>).</param>
/// <param name="Error">Why it is a conflict or failed.</param>
internal sealed record JournalEntry(
    JournalEntryKind Kind,
    string Name,
    JournalOutcome Outcome,
    IReadOnlyList<ManifestFile> Files,
    bool ManifestWritten = false,
    bool SourceDeleted = false,
    string? Error = null);
