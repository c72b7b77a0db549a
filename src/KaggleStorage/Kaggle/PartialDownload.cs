using System.IO.Abstractions;
using KaggleStorage.Layout;

namespace KaggleStorage.Kaggle;

/// <summary>
/// The dataset's zip while it is being fetched, kept in <c>&lt;root&gt;/.partial/</c> (not in <c>.staging/</c>,
/// which the next lock holder empties) with the storage's ETag or Last-Modified beside it, so that a transfer cut
/// off tonight resumes tomorrow with <c>Range</c> instead of starting over. One file per dataset version; a partial
/// of another version is dropped. It is scratch, never data: nothing reads it but the next download, and it is
/// deleted once the day is published or the zip proves corrupt.
/// </summary>
internal sealed class PartialDownload
{
    private readonly IFileSystem _fileSystem;

    public PartialDownload(IFileSystem fileSystem, StorageLayout layout, string datasetId, int? version)
    {
        _fileSystem = fileSystem;
        var directory = fileSystem.Path.Combine(layout.Root, ".partial");
        fileSystem.Directory.CreateDirectory(directory);
        Path = fileSystem.Path.Combine(directory, $"{datasetId.Replace('/', '_')}-v{version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "latest"}.zip");
        foreach (var other in fileSystem.Directory.EnumerateFiles(directory).Where(file => file != Path && file != ValidatorPath).ToList())
        {
            fileSystem.File.Delete(other);
        }

        Validator = fileSystem.File.Exists(ValidatorPath) && fileSystem.File.Exists(Path)
            ? fileSystem.File.ReadAllText(ValidatorPath).Trim() is { Length: > 0 } text ? text : null
            : null;
    }

    public string Path { get; }

    /// <summary>The ETag or Last-Modified the kept bytes were fetched under; null when there is nothing to resume.</summary>
    public string? Validator { get; }

    private string ValidatorPath => Path + ".validator";

    public Stream Open() =>
        _fileSystem.FileStream.New(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);

    public void RememberValidator(string validator) => _fileSystem.File.WriteAllText(ValidatorPath, validator);

    public void Discard()
    {
        foreach (var path in new[] { Path, ValidatorPath })
        {
            if (_fileSystem.File.Exists(path))
            {
                _fileSystem.File.Delete(path);
            }
        }
    }
}
