using System.IO.Abstractions;

namespace KaggleStorage.IO;

/// <summary>
/// A folder under the store's <c>.staging/</c> that a holder of the store lock fills and then publishes under its
/// final name in one rename, after every file in it was flushed to disk; the parent directory is flushed after the
/// rename. Until then nothing of it is visible under a final name. Disposing an unpublished folder deletes it; if
/// the process dies instead, the next holder of the lock removes it.
/// </summary>
public sealed class StagedDirectory : IDisposable, IAsyncDisposable
{
    private readonly IFileSystem _fileSystem;
    private readonly Action _ensureMayPublish;
    private bool _published;

    internal StagedDirectory(IFileSystem fileSystem, string path, Action ensureMayPublish)
    {
        _fileSystem = fileSystem;
        _ensureMayPublish = ensureMayPublish;
        Path = path;
        fileSystem.Directory.CreateDirectory(path);
    }

    /// <summary>The staged folder to write into.</summary>
    public string Path { get; }

    /// <summary>Publishes the folder as <paramref name="destination"/>, which must not exist.</summary>
    /// <exception cref="IOException"><paramref name="destination"/> exists.</exception>
    /// <exception cref="Locking.StoreLockLostException">The store lock is no longer held; nothing was published.</exception>
    public Task PublishAsync(string destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        Prepare(cancellationToken);
        Durable.Rename(_fileSystem, Path, destination, overwrite: false);
        _published = true;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Publishes the folder as <paramref name="destination"/>, replacing what is there. The old folder is moved
    /// aside within staging first and put back if the swap fails; a kill between the two renames is repaired by
    /// the next holder of the lock, which puts the old folder back. Returns whether something was replaced.
    /// </summary>
    public Task<bool> PublishReplacingAsync(string destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        Prepare(cancellationToken);
        if (!_fileSystem.Directory.Exists(destination))
        {
            Durable.Rename(_fileSystem, Path, destination, overwrite: false);
            _published = true;
            return Task.FromResult(false);
        }

        var aside = StagingArea.AsideNameFor(_fileSystem, Path);
        StagingArea.RecordAside(_fileSystem, aside, destination);
        Durable.Rename(_fileSystem, destination, aside, overwrite: false);
        try
        {
            Durable.Rename(_fileSystem, Path, destination, overwrite: false);
        }
        catch
        {
            Durable.Rename(_fileSystem, aside, destination, overwrite: false);
            StagingArea.ForgetAside(_fileSystem, aside);
            throw;
        }

        _published = true;
        StagingArea.ForgetAside(_fileSystem, aside);
        try
        {
            _fileSystem.Directory.Delete(aside, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The new folder is published; the old one (say, holding a name .NET cannot address) is a leftover
            // that the next locked command removes by name bytes. Failing here would report a replace that happened
            // as one that did not.
        }

        return Task.FromResult(true);
    }

    /// <summary>
    /// Publishes the staged sub-folder <paramref name="part"/> (relative, <c>/</c>-separated) as
    /// <paramref name="destination"/>: in one rename when the destination does not exist; otherwise file by file,
    /// one atomic rename each, replacing what is there, except the files for which <paramref name="skip"/> (given
    /// the name relative to <paramref name="part"/>) says so. Returns the number of files published. What is not
    /// published is deleted with the staged folder.
    /// </summary>
    internal Task<int> PublishPartAsync(string part, string destination, Func<string, bool> skip, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(part);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentNullException.ThrowIfNull(skip);
        ObjectDisposedException.ThrowIf(_published, this);
        var source = _fileSystem.Path.Combine(Path, part);
        Durable.PrepareToPublish(_fileSystem, source, _ensureMayPublish, cancellationToken);
        if (!_fileSystem.Directory.Exists(destination))
        {
            var count = _fileSystem.Directory.Exists(source) ? _fileSystem.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Count() : 1;
            Durable.Rename(_fileSystem, source, destination, overwrite: false);
            return Task.FromResult(count);
        }

        var moved = 0;
        foreach (var file in _fileSystem.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList())
        {
            var relative = _fileSystem.Path.GetRelativePath(source, file);
            if (!skip(relative.Replace('\\', '/')))
            {
                Durable.Rename(_fileSystem, file, _fileSystem.Path.Combine(destination, relative), overwrite: true);
                moved++;
            }
        }

        return Task.FromResult(moved);
    }

    /// <summary>Deletes the staged folder unless it was published.</summary>
    public void Dispose()
    {
        if (!_published && _fileSystem.Directory.Exists(Path))
        {
            _fileSystem.Directory.Delete(Path, recursive: true);
        }

        _published = true;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Prepare(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_published, this);
        Durable.PrepareToPublish(_fileSystem, Path, _ensureMayPublish, cancellationToken);
    }
}
