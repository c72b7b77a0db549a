using System.IO.Abstractions;
using KaggleStorage.IO;

namespace KaggleStorage.Manifests;

/// <summary>
/// Computes what a manifest records of a file — size, SHA-256 and, for CSV files, the number of data rows —
/// in one streaming pass, whatever the file's size.
/// </summary>
internal sealed class FileFingerprinter(IFileSystem fileSystem)
{
    /// <summary>Fingerprints one file; <paramref name="name"/> is what the manifest calls it.</summary>
    public async Task<ManifestFile> ComputeAsync(string path, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(name);
        await using var stream = Sha256Hasher.OpenRead(fileSystem, path);
        return await ComputeAsync(stream, name, copyTo: null, copied: null, cancellationToken);
    }

    /// <summary>The SHA-256 of one file, for comparisons that need no size or rows.</summary>
    public Task<string> HashAsync(string path, CancellationToken cancellationToken = default) =>
        Sha256Hasher.HashFileAsync(fileSystem, path, cancellationToken);

    /// <summary>
    /// The one fingerprint pass: reads <paramref name="source"/> once for its size, SHA-256 and, when
    /// <paramref name="name"/> is a CSV file's, its data rows, writing it to <paramref name="copyTo"/> on the way.
    /// </summary>
    /// <param name="source">The bytes, read to their end.</param>
    /// <param name="name">What the manifest calls the file; its ending decides whether rows are counted.</param>
    /// <param name="copyTo">Where to copy the bytes as they are read, or null.</param>
    /// <param name="copied">Told the length of each chunk before it is hashed and copied.</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    public static async Task<ManifestFile> ComputeAsync(
        Stream source, string name, Stream? copyTo, Action<long>? copied, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var rows = IsCsv(name) ? new CsvRecordCounter() : null;
        var (sha256, size) = await Sha256Hasher.ReadAsync(
            source,
            copyTo,
            rows is null && copied is null ? null : chunk =>
            {
                rows?.Add(chunk.Span);
                copied?.Invoke(chunk.Length);
            },
            cancellationToken);
        return new ManifestFile(name, size, sha256, rows?.DataRows);
    }

    /// <summary>
    /// Fingerprints every file of a day folder except its manifest, under the store's one rule of what a day holds
    /// (every regular file at any depth, hidden names included), named relative to the folder with <c>/</c>
    /// separators, in ordinal order of name.
    /// </summary>
    /// <exception cref="Errors.StorageOperationException">The folder holds a link, fifo, socket or device.</exception>
    public async Task<IReadOnlyList<ManifestFile>> ComputePartitionAsync(
        string dayFolder, CancellationToken cancellationToken = default)
    {
        var files = new List<ManifestFile>();
        foreach (var file in EnumeratePartitionFiles(ReadDay(dayFolder).ThrowIfUnsafe()))
        {
            files.Add(await ComputeAsync(file.Path, file.Name, cancellationToken));
        }

        return files;
    }

    /// <summary>What a day folder holds.</summary>
    internal DayContents ReadDay(string dayFolder) => new DayContentsReader(fileSystem).Read(dayFolder);

    /// <summary>The data files of a day: everything it holds but its own manifest.</summary>
    internal static IEnumerable<DayFile> EnumeratePartitionFiles(DayContents contents) =>
        contents.Files.Where(file => file.Name != DownloadManifest.FileName);

    private static bool IsCsv(string name) => name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
}
