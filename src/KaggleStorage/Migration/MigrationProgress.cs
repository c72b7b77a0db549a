namespace KaggleStorage.Migration;

/// <summary>Progress of a migration or rollback.</summary>
/// <param name="FilesDone">Files copied so far.</param>
/// <param name="FilesTotal">Files to copy.</param>
/// <param name="BytesDone">Bytes copied so far.</param>
/// <param name="BytesTotal">Bytes to copy.</param>
/// <param name="BytesPerSecond">Average rate since the copy started.</param>
/// <param name="Current">What is being copied.</param>
public sealed record MigrationProgress(int FilesDone, int FilesTotal, long BytesDone, long BytesTotal, double BytesPerSecond, string Current);
