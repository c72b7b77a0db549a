using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.IO;
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
    public async Task<ManifestFile> CopyAsync(
        string source, string destination, string name, Action<long>? copied, CancellationToken cancellationToken)
    {
        var before = fileSystem.FileInfo.New(source);
        var (sizeBefore, timeBefore) = (before.Length, before.LastWriteTimeUtc);
        ManifestFile written;
        await using (var input = Sha256Hasher.OpenRead(fileSystem, source))
        await using (var output = fileSystem.FileStream.New(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
        {
            written = await FileFingerprinter.ComputeAsync(input, name, output, copied, cancellationToken);
        }

        var (total, sha256) = (written.SizeBytes, written.Sha256);
        Durable.StartWriteBack(fileSystem, destination);
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

        var reread = await fingerprinter.ComputeAsync(destination, name, cancellationToken);
        if (reread.Sha256 != sha256 || reread.SizeBytes != total)
        {
            throw new StorageOperationException(
                $"The copy '{destination}' does not read back as written (sha256 {reread.Sha256}, expected {sha256}); the destination disk may be failing.");
        }

        return written;
    }
}
