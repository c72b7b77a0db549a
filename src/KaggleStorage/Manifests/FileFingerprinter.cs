using System.Buffers;
using System.IO.Abstractions;
using System.Security.Cryptography;
using KaggleStorage.IO;

namespace KaggleStorage.Manifests;

/// <summary>
/// Computes what a manifest records of a file — size, SHA-256 and, for CSV files, the number of data rows —
/// in one streaming pass, whatever the file's size.
/// </summary>
internal sealed class FileFingerprinter(IFileSystem fileSystem)
{
    private const int BufferSize = 1 << 20;

    /// <summary>Fingerprints one file; <paramref name="name"/> is what the manifest calls it.</summary>
    public async Task<ManifestFile> ComputeAsync(string path, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(name);
        var counter = IsCsv(name) ? new CsvRecordCounter() : null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            await using var stream = fileSystem.FileStream.New(
                path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                counter?.Add(buffer.AsSpan(0, read));
                size += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ManifestFile(name, size, Convert.ToHexStringLower(hash.GetHashAndReset()), counter?.DataRows);
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
