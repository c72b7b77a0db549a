using KaggleStorage.Layout;

namespace KaggleStorage.Migration;

/// <summary>One day in a migration or rollback plan.</summary>
/// <param name="Date">The day.</param>
/// <param name="Source">The folder copied from.</param>
/// <param name="Destination">The folder it lands in.</param>
/// <param name="Action">Copy (whole day), skip (identical) or conflict (never overwritten).</param>
/// <param name="Files">Per file, what happens.</param>
/// <param name="HasManifest">The source has a current <c>download_manifest.json</c>; otherwise migration writes one.</param>
/// <param name="HasLegacyManifest">
/// The source has a <c>download_manifest.json</c> of the old job's own format: it is kept byte for byte as
/// <c>download_manifest.legacy.json</c>, its claims are checked, and a current manifest is written.
/// </param>
internal sealed record PlannedPartition(
    PartitionDate Date,
    string Source,
    string Destination,
    MigrationAction Action,
    IReadOnlyList<PlannedFile> Files,
    bool HasManifest,
    bool HasLegacyManifest = false);
