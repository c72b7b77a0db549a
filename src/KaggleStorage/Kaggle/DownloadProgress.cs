namespace KaggleStorage.Kaggle;

/// <summary>Progress of a download.</summary>
/// <param name="Bytes">Bytes received, or extracted while <paramref name="Stage"/> is <see cref="DownloadStage.Extracting"/>.</param>
/// <param name="TotalBytes">The size announced by the server, or the zip's extracted total, when known.</param>
/// <param name="Stage">Receiving the zip or extracting it.</param>
public sealed record DownloadProgress(long Bytes, long? TotalBytes, DownloadStage Stage = DownloadStage.Receiving);
