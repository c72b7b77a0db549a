namespace KaggleStorage.Manifests;

/// <summary>One file's counts in a <see cref="LoadSummary"/>.</summary>
/// <param name="Name">File name relative to the raw partition.</param>
/// <param name="RowsRead">Data rows read.</param>
/// <param name="RowsLoaded">Rows accepted.</param>
/// <param name="RowsRejected">Rows refused by validation.</param>
/// <param name="Status">The file's outcome.</param>
/// <param name="Error">Why the file failed, when it did.</param>
public sealed record LoadedFile(string Name, long RowsRead, long RowsLoaded, long RowsRejected, LoadStatus Status, string? Error = null);
