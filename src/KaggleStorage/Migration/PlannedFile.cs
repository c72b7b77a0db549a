namespace KaggleStorage.Migration;

/// <summary>One file in a migration or rollback plan.</summary>
/// <param name="Name">Path relative to its partition or area folder, <c>/</c>-separated.</param>
/// <param name="SizeBytes">Size of the source file.</param>
/// <param name="Action">Copy, skip or conflict.</param>
/// <param name="Reason">Why, for skips and conflicts.</param>
/// <param name="Sha256">The content hash, when the plan had to compute it (skips).</param>
/// <param name="DestinationName">
/// The file's name at the destination when it differs from <paramref name="Name"/>: a legacy day's own manifest is
/// kept as <c>download_manifest.legacy.json</c> (and goes back under its name on rollback).
/// </param>
internal sealed record PlannedFile(
    string Name, long SizeBytes, MigrationAction Action, string? Reason = null, string? Sha256 = null, string? DestinationName = null)
{
    /// <summary>The file's name at the destination.</summary>
    public string TargetName => DestinationName ?? Name;
}
