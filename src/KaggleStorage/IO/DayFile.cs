namespace KaggleStorage.IO;

/// <summary>A regular file of a day.</summary>
/// <param name="Name">Path relative to the day folder, with <c>/</c> separators.</param>
/// <param name="Path">Full path.</param>
/// <param name="SizeBytes">Size when the day was read.</param>
internal sealed record DayFile(string Name, string Path, long SizeBytes);
