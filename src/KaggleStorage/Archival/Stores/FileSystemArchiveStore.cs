using System.IO.Abstractions;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;

namespace KaggleStorage.Archival;

/// <summary>
/// Archives in the store's <c>archive/</c> folder on the shared volume, written through the store lock's
/// staged-write sequence (staged under <c>.staging/</c>, flushed, renamed into place, folder flushed) and deleted
/// through the trash, so a kill at any moment leaves each file whole or absent.
/// </summary>
internal sealed class FileSystemArchiveStore(StorageLayout layout, IFileSystem fileSystem) : IArchiveStore
{
    private readonly TrashBin _trash = new(layout, fileSystem);

    public ArchiveStoreKind Kind => ArchiveStoreKind.FileSystem;

    public string Location => layout.GetAreaPath(StorageArea.Archive);

    public bool IsOnStoreVolume => true;

    public Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(fileSystem.Directory.Exists(Location));

    public string Describe(string name) => fileSystem.Path.Combine(Location, name);

    public Task<IReadOnlyList<ArchiveObjectInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!fileSystem.Directory.Exists(Location))
        {
            return Task.FromResult<IReadOnlyList<ArchiveObjectInfo>>([]);
        }

        IReadOnlyList<ArchiveObjectInfo> objects = fileSystem.DirectoryInfo.New(Location).EnumerateFileSystemInfos()
            .Select(entry => entry is IFileInfo file
                // A name that is not UTF-8 decodes to one that does not exist: listed (as a stray), never fatal.
                ? new ArchiveObjectInfo(file.Name, file.Exists ? file.Length : 0)
                : new ArchiveObjectInfo(entry.Name, 0, IsFolder: true))
            .OrderBy(entry => entry.Name, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(objects);
    }

    public Task<ArchiveObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = Describe(name);
        return Task.FromResult(
            fileSystem.File.Exists(path) ? new ArchiveObjectInfo(name, fileSystem.FileInfo.New(path).Length)
            : fileSystem.Directory.Exists(path) ? new ArchiveObjectInfo(name, 0, IsFolder: true)
            : null);
    }

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(fileSystem.FileStream.New(Describe(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));

    public Task<Stream> OpenReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken = default)
    {
        var file = fileSystem.FileStream.New(Describe(name), FileMode.Open, FileAccess.Read, FileShare.Read, (int)Math.Clamp(length, 1, 1 << 16), useAsync: true);
        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(new BoundedReadStream(file, length));
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        if (fileSystem.File.Exists(Describe(name)) || fileSystem.Directory.Exists(Describe(name)))
        {
            _trash.Delete(Describe(name));
        }

        return Task.CompletedTask;
    }

    public Task PutAsync(StoreLockHandle held, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        return held.WriteFileAsync(Describe(name), write, cancellationToken);
    }

    public Task<IStagedArchiveObject> StageAsync(StoreLockHandle held, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        fileSystem.Directory.CreateDirectory(Location);
        return Task.FromResult<IStagedArchiveObject>(new Staged(fileSystem, held.CreateStagedFile($"archive-{name}"), Describe(name)));
    }

    // Staged files of a dead holder are removed when the lock is acquired.
    public Task<int> RemoveLeftoversAsync(StoreLockHandle held, CancellationToken cancellationToken = default) => Task.FromResult(0);

    private sealed class Staged(IFileSystem fileSystem, StagedFile staged, string destination) : IStagedArchiveObject
    {
        public async Task WriteAsync(Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
        {
            await using var file = staged.OpenWrite();
            await write(file, cancellationToken);
        }

        /// <summary>Opens the written archive to read it back, flushing it to disk meanwhile: the read-back and the flush overlap.</summary>
        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken = default)
        {
            staged.StartFlush();
            return Task.FromResult<Stream>(fileSystem.FileStream.New(staged.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
        }

        public Task PublishAsync(CancellationToken cancellationToken = default) =>
            staged.PublishAsync(destination, overwrite: true, cancellationToken);

        public ValueTask DisposeAsync() => staged.DisposeAsync();
    }
}
