namespace KaggleStorage.Locking;

/// <summary>
/// Something a killed run left in <c>.staging/</c> or <c>.trash/</c> (or in an S3 archive store: a staged object or an
/// unfinished multipart upload); never under a final name, and removed by the
/// next command that takes the store lock, except a day an interrupted replace set aside (<see cref="PutBackTo"/>),
/// which that command puts back.
/// </summary>
/// <param name="Path">Full path (for an object store, <c>s3://bucket/key</c>).</param>
/// <param name="Bytes">Size of the file, or of the files in the folder.</param>
public sealed record LeftoverEntry(string Path, long Bytes)
{
    /// <summary>
    /// For a folder moved aside by a replace (<c>download --force</c>) that was stopped before its replacement took
    /// its place: where it belongs. It is then the only copy of that folder, and the next locked command puts it back.
    /// </summary>
    public string? PutBackTo { get; init; }

    /// <summary>When it was begun, where the store knows it (an object store's staged object or unfinished upload).</summary>
    public DateTimeOffset? StartedAtUtc { get; init; }

    /// <summary>For an unfinished multipart upload in an object store: its upload id (<see cref="Path"/> is its key).</summary>
    public string? UploadId { get; init; }
}
