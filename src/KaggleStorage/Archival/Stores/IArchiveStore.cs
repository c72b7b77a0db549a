using KaggleStorage.Layout;
using KaggleStorage.Locking;

namespace KaggleStorage.Archival;

/// <summary>
/// Where day archives and their indexes live: the store's own <c>archive/</c> folder
/// (<see cref="ArchiveStoreKind.FileSystem"/>, the default) or a bucket of an S3-compatible object store
/// (<see cref="ArchiveStoreKind.S3"/>). Objects are named <c>YYYYMMDD.tar.gz</c> and
/// <c>YYYYMMDD.tar.gz.index.json</c>. Archive, verify, restore, status and prune reach archives only through this
/// seam, and every store follows the same publish rule: an object appears under its final name only whole, after
/// it was written completely and, for archives, read back and checked.
/// </summary>
public interface IArchiveStore
{
    /// <summary>Which kind of store this is.</summary>
    ArchiveStoreKind Kind { get; }

    /// <summary>Where the store is, for people: a folder path or <c>s3://bucket/prefix</c>.</summary>
    string Location { get; }

    /// <summary>
    /// Whether the store's objects take room on the store's volume: then they count against its capacity, and an
    /// archive is staged there while it is written, so the room for it is checked first.
    /// </summary>
    bool IsOnStoreVolume { get; }

    /// <summary>Whether the store's place is there: the <c>archive/</c> folder exists, or a bucket was listed.</summary>
    internal Task<bool> ExistsAsync(CancellationToken cancellationToken = default);

    /// <summary>Where one object is, for people and messages (never with credentials).</summary>
    string Describe(string name);

    /// <summary>
    /// The days that have an archive in the store, oldest first, from one listing of it: the <c>archive/</c> folder or
    /// the bucket, whichever the host is configured with. A day's index or other files of it are not an archive.
    /// </summary>
    async Task<IReadOnlyList<PartitionDate>> ListArchivedDaysAsync(CancellationToken cancellationToken = default) =>
        (await ArchiveCatalog.ReadAsync(this, cancellationToken)).ArchivedDays;

    /// <summary>Every object of the store's area, in ordinal order of name (staging objects excluded).</summary>
    internal Task<IReadOnlyList<ArchiveObjectInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The object, or null when there is none of that name.</summary>
    internal Task<ArchiveObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Streams an object from its start.</summary>
    /// <exception cref="FileNotFoundException">There is no such object.</exception>
    internal Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams <paramref name="length"/> bytes of an object from <paramref name="offset"/>, fetching only those (a
    /// reader of one file of an archive reads only its blocks). This default reads from the start and skips; the
    /// library's stores seek or ask for the range.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such object.</exception>
    internal async Task<Stream> OpenReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken = default)
    {
        var stream = await OpenReadAsync(name, cancellationToken);
        try
        {
            var skip = new byte[1 << 16];
            for (var left = offset; left > 0;)
            {
                var read = await stream.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, left)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                left -= read;
            }

            return new BoundedReadStream(stream, length);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Deletes an object; deleting one that is not there is not an error.</summary>
    internal Task DeleteAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Writes a small object whole (an index), published at once; the store lock must be held.</summary>
    internal Task PutAsync(StoreLockHandle held, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default);

    /// <summary>Begins an object that is written, read back and only then published; the store lock must be held.</summary>
    internal Task<IStagedArchiveObject> StageAsync(StoreLockHandle held, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes what a holder of the lock that died left in the store's staging (unfinished uploads, staged objects),
    /// returning how many; the store lock must be held.
    /// </summary>
    internal Task<int> RemoveLeftoversAsync(StoreLockHandle held, CancellationToken cancellationToken = default);

    /// <summary>
    /// What <see cref="RemoveLeftoversAsync"/> would remove now (unfinished uploads, staged objects), for status; a
    /// store that stages on the volume has nothing of its own here, as the volume's <c>.staging/</c> shows it.
    /// </summary>
    internal Task<IReadOnlyList<LeftoverEntry>> ListLeftoversAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LeftoverEntry>>([]);
}

/// <summary>An object of an archive store.</summary>
/// <param name="Name">Its name within the store, e.g. <c>20241026.tar.gz</c>.</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="IsFolder">A folder where an object was expected (only a file system store has folders).</param>
internal sealed record ArchiveObjectInfo(string Name, long SizeBytes, bool IsFolder = false);

/// <summary>An object being written: invisible under its final name until <see cref="PublishAsync"/>.</summary>
internal interface IStagedArchiveObject : IAsyncDisposable
{
    /// <summary>
    /// Writes the object through <paramref name="write"/>; when it returns, the object is complete but not published.
    /// A failure discards what was written (an unfinished upload is aborted).
    /// </summary>
    Task WriteAsync(Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default);

    /// <summary>Streams back what was written, for the check before publishing.</summary>
    Task<Stream> OpenReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Publishes the object under its final name, replacing one that is there.</summary>
    Task PublishAsync(CancellationToken cancellationToken = default);
}
