namespace KaggleStorage.Kaggle;

/// <summary>One file of a Kaggle dataset.</summary>
/// <param name="Name">File name within the dataset.</param>
/// <param name="TotalBytes">Its size, when reported.</param>
public sealed record KaggleFileInfo(string Name, long? TotalBytes);
