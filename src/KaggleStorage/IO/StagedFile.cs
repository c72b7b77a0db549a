using System.IO.Abstractions;

namespace KaggleStorage.IO;

/// <summary>
/// A file under the store's <c>.staging/</c> that a holder of the store lock writes and then publishes under its
/// final name in one rename, after flushing it to disk; the parent directory is flushed after the rename.
/// Disposing an unpublished file deletes it; if the process dies instead, the next holder of the lock removes it.
/// </summary>
internal sealed class StagedFile : IDisposable, IAsyncDisposable
{
    private readonly IFileSystem _fileSystem;
    private readonly Action _ensureMayPublish;
    private bool _published;
    private Task _flushing = Task.CompletedTask;

    internal StagedFile(IFileSystem fileSystem, string path, Action ensureMayPublish)
    {
        _fileSystem = fileSystem;
        _ensureMayPublish = ensureMayPublish;
        Path = path;
        fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(path)!);
    }

    /// <summary>The staged file's path.</summary>
    public string Path { get; }

    /// <summary>Opens the staged file for writing (it must not have been created yet).</summary>
    public Stream OpenWrite() =>
        _fileSystem.FileStream.New(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);

    /// <summary>
    /// Starts flushing the written file to disk in the background, so that the flush, which waits on the disk,
    /// overlaps what the caller does before publishing with the CPU (the archiver reads its archive back). Publishing
    /// waits for it and flushes again all the same, finding little left to write.
    /// </summary>
    public void StartFlush()
    {
        ObjectDisposedException.ThrowIf(_published, this);
        _flushing = Task.Run(() => Durable.FlushTree(_fileSystem, Path, CancellationToken.None));
    }

    /// <summary>Publishes the file as <paramref name="destination"/>.</summary>
    /// <param name="destination">The final name.</param>
    /// <param name="overwrite">Replace an existing file atomically; otherwise an existing one is an <see cref="IOException"/>.</param>
    /// <param name="cancellationToken">Checked before the rename.</param>
    /// <exception cref="Locking.StoreLockLostException">The store lock is no longer held; nothing was published.</exception>
    public async Task PublishAsync(string destination, bool overwrite, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ObjectDisposedException.ThrowIf(_published, this);
        await _flushing.WaitAsync(cancellationToken);
        Durable.PrepareToPublish(_fileSystem, Path, _ensureMayPublish, cancellationToken);
        Durable.Rename(_fileSystem, Path, destination, overwrite);
        _published = true;
    }

    /// <summary>Deletes the staged file unless it was published.</summary>
    public void Dispose()
    {
        try
        {
            // A flush still running must not outlive the file; its failure matters only to a publish.
            _flushing.Wait();
        }
        catch (AggregateException)
        {
        }

        if (!_published && _fileSystem.File.Exists(Path))
        {
            _fileSystem.File.Delete(Path);
        }

        _published = true;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
