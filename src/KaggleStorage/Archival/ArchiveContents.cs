namespace KaggleStorage.Archival;

/// <summary>What a validated archive holds, root-relative with <c>/</c> separators.</summary>
/// <param name="Files">Each file's path and the SHA-256 of its content (empty when it was not asked for).</param>
/// <param name="Directories">Directory entries.</param>
internal sealed record ArchiveContents(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Directories);
