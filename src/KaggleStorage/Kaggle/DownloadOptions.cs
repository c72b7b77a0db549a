namespace KaggleStorage.Kaggle;

/// <summary>How a download is planned.</summary>
public sealed record DownloadOptions
{
    /// <summary>Download even when the day exists (replacing it atomically) or the dataset is unchanged.</summary>
    public bool Force { get; init; }
}
