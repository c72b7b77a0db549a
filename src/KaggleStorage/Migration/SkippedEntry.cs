namespace KaggleStorage.Migration;

/// <summary>An entry of the legacy folder that is not migrated, and why: never dropped silently.</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Reason">Why it is not a day to migrate, e.g. "a symbolic link (never followed)".</param>
internal sealed record SkippedEntry(string Path, string Reason);
