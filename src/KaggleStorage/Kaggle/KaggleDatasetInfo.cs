namespace KaggleStorage.Kaggle;

/// <summary>What Kaggle says about a dataset and its files.</summary>
public sealed record KaggleDatasetInfo
{
    internal KaggleDatasetInfo(string DatasetId, string? Title, int? Version, IReadOnlyList<KaggleFileInfo> Files)
    {
        this.DatasetId = DatasetId;
        this.Title = Title;
        this.Version = Version;
        this.Files = Files;
    }

    /// <summary>The dataset, <c>owner/slug</c>.</summary>
    public string DatasetId { get; internal init; }

    /// <summary>Its title.</summary>
    public string? Title { get; internal init; }

    /// <summary>The current version number, when Kaggle reports it.</summary>
    public int? Version { get; internal init; }

    /// <summary>The files of that version, with sizes when known.</summary>
    public IReadOnlyList<KaggleFileInfo> Files { get; internal init; }

    /// <summary>Total size of the files Kaggle reported.</summary>
    public long TotalBytes => Files.Sum(file => file.TotalBytes ?? 0);
}
