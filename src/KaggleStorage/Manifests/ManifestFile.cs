namespace KaggleStorage.Manifests;

/// <summary>One file of a partition as recorded in its manifest.</summary>
/// <param name="Name">File name relative to the partition folder, <c>/</c>-separated.</param>
/// <param name="SizeBytes">Length in bytes.</param>
/// <param name="Sha256">SHA-256 of the content, lowercase hex.</param>
/// <param name="RowCount">Data rows (records after the header) of a CSV file; null for other files.</param>
public sealed record ManifestFile(string Name, long SizeBytes, string Sha256, long? RowCount);
