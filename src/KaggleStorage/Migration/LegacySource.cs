namespace KaggleStorage.Migration;

/// <summary>Where the legacy job kept its data.</summary>
/// <param name="RawDirectory">The <c>kaggle_raw</c> folder holding <c>YYYYMMDD</c> folders.</param>
/// <param name="ReportsDirectory">The sibling <c>reports</c> folder, when the data folder was given and has one.</param>
/// <param name="MetadataDirectory">The sibling <c>metadata</c> folder, when the data folder was given and has one.</param>
internal sealed record LegacySource(string RawDirectory, string? ReportsDirectory, string? MetadataDirectory);
