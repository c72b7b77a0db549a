namespace KaggleStorage.Kaggle;

/// <summary>Progress of a download.</summary>
/// <param name="Bytes">Bytes received.</param>
/// <param name="TotalBytes">The size announced by the server, when it did.</param>
public sealed record DownloadProgress(long Bytes, long? TotalBytes);
