using System.IO.Abstractions;

namespace KaggleStorage.IO;

/// <summary>
/// Writes a file so that its final name only ever shows the old content or the complete new content:
/// a temporary file in the same directory, flushed to disk, then renamed over the final name.
/// </summary>
internal static class AtomicFile
{
    public static async Task WriteAsync(
        IFileSystem fileSystem,
        string path,
        Func<Stream, CancellationToken, Task> writeContent,
        CancellationToken cancellationToken)
    {
        var directory = fileSystem.Path.GetDirectoryName(path)
            ?? throw new ArgumentException($"'{path}' has no parent directory.", nameof(path));
        fileSystem.Directory.CreateDirectory(directory);

        // Same directory, so the rename never crosses a file system; hidden and unique so concurrent writers
        // and listings never mistake it for the real file.
        var temporary = fileSystem.Path.Combine(
            directory, $".{fileSystem.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = fileSystem.FileStream.New(
                temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 81920, useAsync: true))
            {
                await writeContent(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            fileSystem.File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(fileSystem, temporary);
            throw;
        }
    }

    private static void TryDelete(IFileSystem fileSystem, string path)
    {
        try
        {
            fileSystem.File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover hidden temp file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
