using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>What a restore did.</summary>
/// <param name="Date">The day restored.</param>
/// <param name="ArchiveLocation">The archive read.</param>
/// <param name="Target">The folder restored into (the store root by default).</param>
/// <param name="FilesRestored">Files written.</param>
/// <param name="FilesReplaced">Of those, files that replaced differing ones (<c>--force</c>).</param>
/// <param name="FilesAlreadyPresent">Files that already existed identical to the archive and were left alone.</param>
public sealed record RestoreResult(
    PartitionDate Date, string ArchiveLocation, string Target, int FilesRestored, int FilesReplaced, int FilesAlreadyPresent);
