using System.IO.Abstractions;
using KaggleStorage.IO;

namespace KaggleStorage.Manifests;

/// <summary>
/// Checks a raw partition against its <c>download_manifest.json</c>: the manifest reads, names the right day,
/// and lists exactly the files present (every regular file, hidden names included) with their sizes — and, when
/// asked, their SHA-256. A link, fifo, socket or device inside the folder makes the day invalid.
/// </summary>
public sealed class DownloadManifestVerifier
{
    private readonly IFileSystem _fileSystem;
    private readonly ManifestStore _manifests;
    private readonly FileFingerprinter _fingerprinter;

    // Internal: it is built from machinery the library keeps to itself; hosts get it from AddKaggleStorage.
    internal DownloadManifestVerifier(
        IFileSystem fileSystem,
        ManifestStore manifests,
        FileFingerprinter fingerprinter)
    {
        _fileSystem = fileSystem;
        _manifests = manifests;
        _fingerprinter = fingerprinter;
    }

    /// <summary>Checks one partition folder.</summary>
    /// <param name="dayFolder">The <c>raw/YYYYMMDD</c> folder.</param>
    /// <param name="verifyContent">Also hash every file (reads all data); otherwise sizes only.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public Task<ManifestCheck> VerifyAsync(
        string dayFolder, bool verifyContent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dayFolder);
        return VerifyAsync(dayFolder, contents: null, verifyContent, cancellationToken);
    }

    /// <summary>Checks one partition folder whose contents the caller has read already (status reads each day once).</summary>
    internal async Task<ManifestCheck> VerifyAsync(
        string dayFolder, DayContents? contents, bool verifyContent, CancellationToken cancellationToken)
    {
        var manifestPath = _fileSystem.Path.Combine(dayFolder, DownloadManifest.FileName);
        DownloadManifest? manifest;
        try
        {
            manifest = await _manifests.TryReadAsync<DownloadManifest>(manifestPath, cancellationToken);
        }
        catch (ManifestFormatException exception)
        {
            return new ManifestCheck(ManifestHealth.Invalid, [exception.Problem]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new ManifestCheck(ManifestHealth.Invalid, [$"{manifestPath} could not be read: {exception.Message.TrimEnd('.')}"]);
        }

        if (manifest is null)
        {
            // A folder that cannot be listed hides its manifest too: that day is unreadable, not without a manifest.
            contents ??= _fingerprinter.ReadDay(dayFolder);
            return contents.IsComplete
                ? new ManifestCheck(ManifestHealth.Missing, [])
                : new ManifestCheck(ManifestHealth.Invalid, contents.Problems);
        }

        var problems = new List<string>();
        var folder = _fileSystem.Path.GetFileName(_fileSystem.Path.TrimEndingDirectorySeparator(dayFolder));
        if (manifest.Partition.ToString() != folder)
        {
            problems.Add($"manifest names partition {manifest.Partition} but lives in folder {folder}");
        }

        contents ??= _fingerprinter.ReadDay(dayFolder);
        problems.AddRange(contents.Problems);
        var comparison = await FileSetComparer.CompareAsync(
            manifest.Files.Select(file => new FileSetEntry(file.Name, file.SizeBytes, file.Sha256)),
            FileFingerprinter.EnumeratePartitionFiles(contents).Select(file => new FileSetEntry(file.Name, file.SizeBytes, Path: file.Path)),
            verifyContent ? (file, token) => _fingerprinter.HashAsync(file.Path!, token) : null,
            cancellationToken);
        problems.AddRange(comparison.Differences
            .Where(difference => difference.Kind != FileDifferenceKind.Extra)
            .Select(difference => difference.Kind switch
            {
                FileDifferenceKind.Missing => $"{difference.Name}: listed in the manifest but missing",
                FileDifferenceKind.SizeDiffers => $"{difference.Name}: size {difference.Found.SizeBytes} bytes, manifest says {difference.Want.SizeBytes}",
                FileDifferenceKind.HashDiffers => $"{difference.Name}: sha256 {difference.Found.Sha256}, manifest says {difference.Want.Sha256}",
                // One file that cannot be read is that file's problem; the rest of the day is still checked.
                _ => $"{difference.Found.Path} could not be read: {difference.Error!.Message.TrimEnd('.')}",
            }));
        problems.AddRange(comparison.Extra.Select(extra => extra.Name).Order(StringComparer.Ordinal).Select(name => $"{name}: present but not listed in the manifest"));
        return new ManifestCheck(problems.Count == 0 ? ManifestHealth.Valid : ManifestHealth.Invalid, problems);
    }
}
