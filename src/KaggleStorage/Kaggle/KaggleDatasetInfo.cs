namespace KaggleStorage.Kaggle;

/// <summary>What Kaggle says about a dataset and its files.</summary>
/// <param name="DatasetId">The dataset, <c>owner/slug</c>.</param>
/// <param name="Title">Its title.</param>
/// <param name="Version">The current version number, when Kaggle reports it.</param>
/// <param name="Files">The files of that version, with sizes when known.</param>
public sealed record KaggleDatasetInfo(string DatasetId, string? Title, int? Version, IReadOnlyList<KaggleFileInfo> Files)
{
    /// <summary>Total size of the files Kaggle reported.</summary>
    public long TotalBytes => Files.Sum(file => file.TotalBytes ?? 0);
}
