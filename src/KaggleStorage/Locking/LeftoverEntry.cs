namespace KaggleStorage.Locking;

/// <summary>
/// Something a killed run left in <c>.staging/</c> or <c>.trash/</c> (or in an S3 archive store: a staged object or an
/// unfinished multipart upload); never under a final name, and removed by the
/// next command that takes the store lock, except a day an interrupted replace set aside (<see cref="PutBackTo"/>),
/// which that command puts back.
/// </summary>
public sealed record LeftoverEntry
{
    internal LeftoverEntry(string Path, long Bytes)
    {
        this.Path = Path;
        this.Bytes = Bytes;
    }

    /// <summary>Full path (for an object store, <c>s3://bucket/key</c>).</summary>
    public string Path { get; internal init; }

    /// <summary>Size of the file, or of the files in the folder.</summary>
    public long Bytes { get; internal init; }

    /// <summary>
    /// For a folder moved aside by a replace (<c>download --force</c>) that was stopped before its replacement took
    /// its place: where it belongs. It is then the only copy of that folder, and the next locked command puts it back.
    /// </summary>
    public string? PutBackTo { get; internal init; }

    /// <summary>When it was begun, where the store knows it (an object store's staged object or unfinished upload).</summary>
    public DateTimeOffset? StartedAtUtc { get; internal init; }

    /// <summary>For an unfinished multipart upload in an object store: its upload id (<see cref="Path"/> is its key).</summary>
    public string? UploadId { get; internal init; }
}
