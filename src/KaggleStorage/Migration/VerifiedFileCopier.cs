using System.Buffers;
using System.IO.Abstractions;
using System.Security.Cryptography;
using KaggleStorage.Errors;
using KaggleStorage.Manifests;

namespace KaggleStorage.Migration;

/// <summary>
/// Copies one file so that the copy is proven: the source is read once while hashing, the copy is flushed to
/// disk, re-read and its hash compared, and a source that changed meanwhile (size or time) is reported rather
/// than silently half-copied. Modification time and permission bits are kept. The copy lands in a staged folder,
/// whose publish flushes it to disk.
/// </summary>
internal sealed class VerifiedFileCopier(IFileSystem fileSystem, FileFingerprinter fingerprinter)
{
    private const int BufferSize = 1 << 20;

    public async Task<ManifestFile> CopyAsync(
        string source, string destination, string name, Action<long>? copied, CancellationToken cancellationToken)
    {
        var before = fileSystem.FileInfo.New(source);
        var (sizeBefore, timeBefore) = (before.Length, before.LastWriteTimeUtc);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var counter = name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? new CsvRecordCounter() : null;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            await using var input = fileSystem.FileStream.New(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            await using var output = fileSystem.FileStream.New(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                counter?.Add(buffer.AsSpan(0, read));
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
                copied?.Invoke(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        fileSystem.File.SetLastWriteTimeUtc(destination, timeBefore);
        if (!OperatingSystem.IsWindows())
        {
            fileSystem.File.SetUnixFileMode(destination, fileSystem.File.GetUnixFileMode(source));
        }

        var after = fileSystem.FileInfo.New(source);
        if (total != sizeBefore || after.Length != sizeBefore || after.LastWriteTimeUtc != timeBefore)
        {
            throw new StorageOperationException(
                $"'{source}' changed while it was being copied ({sizeBefore} → {after.Length} bytes); nothing was published for it, run again once it is stable.");
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        var reread = await fingerprinter.ComputeAsync(destination, name, cancellationToken);
        if (reread.Sha256 != sha256 || reread.SizeBytes != total)
        {
            throw new StorageOperationException(
                $"The copy '{destination}' does not read back as written (sha256 {reread.Sha256}, expected {sha256}); the destination disk may be failing.");
        }

        return new ManifestFile(name, total, sha256, counter?.DataRows);
    }
}
