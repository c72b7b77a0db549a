namespace KaggleStorage.Archival;

/// <summary>One file of a day, as <see cref="DayFileReader"/> lists it.</summary>
/// <param name="Path">Path relative to the store root, <c>/</c>-separated, e.g. <c>raw/20241026/prices.csv</c>.</param>
/// <param name="SizeBytes">Its length.</param>
/// <param name="Origin">Where its bytes are read from: the live day folder, or the day's archive.</param>
public sealed record DayFileInfo(string Path, long SizeBytes, DayFileOrigin Origin);
