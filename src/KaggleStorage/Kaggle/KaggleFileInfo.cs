namespace KaggleStorage.Kaggle;

/// <summary>One file of a Kaggle dataset.</summary>
public sealed record KaggleFileInfo
{
    internal KaggleFileInfo(string Name, long? TotalBytes)
    {
        this.Name = Name;
        this.TotalBytes = TotalBytes;
    }

    /// <summary>File name within the dataset.</summary>
    public string Name { get; internal init; }

    /// <summary>Its size, when reported.</summary>
    public long? TotalBytes { get; internal init; }
}
