using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.Layout;

namespace KaggleStorage.Migration;

/// <summary>
/// Recognizes the legacy layout: either the job's <c>data</c> folder (holding <c>kaggle_raw/</c> and perhaps
/// <c>reports/</c> and <c>metadata/</c>) or the <c>kaggle_raw</c> folder itself.
/// </summary>
internal sealed class LegacySourceDetector(IFileSystem fileSystem)
{
    /// <summary>The legacy raw folder's name.</summary>
    public const string RawFolderName = "kaggle_raw";

    /// <summary>Detects the layout under <paramref name="path"/>.</summary>
    /// <exception cref="StorageInputException">The folder is missing or is neither form.</exception>
    public LegacySource Detect(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = fileSystem.Path.GetFullPath(path);
        if (!fileSystem.Directory.Exists(full))
        {
            throw new StorageInputException($"The legacy folder '{full}' does not exist.");
        }

        var raw = fileSystem.Path.Combine(full, RawFolderName);
        if (fileSystem.Directory.Exists(raw))
        {
            return new LegacySource(raw, Existing(full, "reports"), Existing(full, "metadata"));
        }

        var name = fileSystem.Path.GetFileName(fileSystem.Path.TrimEndingDirectorySeparator(full));
        if (name == RawFolderName || fileSystem.Directory.EnumerateDirectories(full).Any(d => PartitionDate.TryParse(fileSystem.Path.GetFileName(d), out _)))
        {
            return new LegacySource(full, null, null);
        }

        throw new StorageInputException(
            $"'{full}' is not a legacy layout: expected the job's data folder (holding {RawFolderName}/, e.g. jobs/fetch-kaggle/data) or the {RawFolderName} folder itself (holding YYYYMMDD folders).");
    }

    private string? Existing(string parent, string name)
    {
        var path = fileSystem.Path.Combine(parent, name);
        return fileSystem.Directory.Exists(path) ? path : null;
    }
}
