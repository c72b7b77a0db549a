namespace KaggleStorage.Migration;

/// <summary>One file in a migration or rollback plan.</summary>
/// <param name="Name">Path relative to its partition or area folder, <c>/</c>-separated.</param>
/// <param name="SizeBytes">Size of the source file.</param>
/// <param name="Action">Copy, skip or conflict.</param>
/// <param name="Reason">Why, for skips and conflicts.</param>
/// <param name="Sha256">The content hash, when the plan had to compute it (skips).</param>
public sealed record PlannedFile(string Name, long SizeBytes, MigrationAction Action, string? Reason = null, string? Sha256 = null);
