namespace KaggleStorage.Archival;

/// <summary>What a validated archive holds, root-relative with <c>/</c> separators.</summary>
/// <param name="Files">Each file's path, size and the SHA-256 of its content as extracted.</param>
/// <param name="Directories">Directory entries.</param>
internal sealed record ArchiveContents(IReadOnlyDictionary<string, (long Size, string Sha256)> Files, IReadOnlyList<string> Directories);
