namespace KaggleStorage.Archival;

/// <summary>What a validated archive holds, root-relative with <c>/</c> separators.</summary>
internal sealed record ArchiveContents(IReadOnlyList<string> Files, IReadOnlyList<string> Directories);
