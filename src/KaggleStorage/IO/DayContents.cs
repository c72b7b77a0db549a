using KaggleStorage.Errors;

namespace KaggleStorage.IO;

/// <summary>
/// What a day folder holds under the store's one rule: every regular file at any depth, hidden names included,
/// and its sub-folders. Anything else inside (a symbolic link, fifo, socket or device, or an entry whose name is not
/// UTF-8) is a problem of the day, named by path (bytes that are not UTF-8 escaped as <c>\xNN</c>) and never
/// followed, opened or left out silently.
/// </summary>
/// <param name="Directory">The day folder.</param>
/// <param name="Files">Regular files, ordinal order of <see cref="DayFile.Name"/>.</param>
/// <param name="Directories">Sub-folders relative to the day, with <c>/</c>, ordinal order.</param>
/// <param name="Problems">One line per entry that is neither a regular file nor a folder, or whose name is not UTF-8.</param>
internal sealed record DayContents(
    string Directory, IReadOnlyList<DayFile> Files, IReadOnlyList<string> Directories, IReadOnlyList<string> Problems)
{
    public long TotalBytes => Files.Sum(file => file.SizeBytes);

    /// <summary>
    /// False when a folder of the day could not be listed (its problem is in <see cref="Problems"/>): what was read
    /// is then only part of the day, so nothing may be judged, archived or deleted by it.
    /// </summary>
    public bool IsComplete { get; init; } = true;

    /// <summary>
    /// Paths (escaped) of the entries whose name is not UTF-8, also among <see cref="Problems"/>: nothing can compare
    /// or archive them, so nothing may delete them either.
    /// </summary>
    public IReadOnlyList<string> NonUtf8Names { get; init; } = [];

    /// <summary>Refuses the day when it holds anything but regular files and folders with UTF-8 names.</summary>
    /// <exception cref="StorageOperationException">The day holds a link, fifo, socket, device or a name that is not UTF-8.</exception>
    public DayContents ThrowIfUnsafe()
    {
        if (Problems.Count > 0)
        {
            throw new StorageOperationException($"{Directory} was refused: {string.Join("; ", Problems)}.");
        }

        return this;
    }
}
