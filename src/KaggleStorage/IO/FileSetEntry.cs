namespace KaggleStorage.IO;

/// <summary>One file on either side of a <see cref="FileSetComparer"/> comparison.</summary>
/// <param name="Name">What both sides call the file (relative, <c>/</c>-separated); names pair ordinally.</param>
/// <param name="SizeBytes">Its length.</param>
/// <param name="Sha256">Its content hash when known; null leaves it to the comparer's hasher, or to the size alone.</param>
/// <param name="Path">Where a hasher reads it; null when it is not a file on disk.</param>
internal sealed record FileSetEntry(string Name, long SizeBytes, string? Sha256 = null, string? Path = null);
