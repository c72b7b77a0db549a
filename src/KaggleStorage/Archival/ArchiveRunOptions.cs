namespace KaggleStorage.Archival;

/// <summary>How an <see cref="ArchivePlan"/> is executed.</summary>
public sealed record ArchiveRunOptions
{
    /// <summary>
    /// Let live files win over archived copies that differ without being newer; otherwise such a day fails,
    /// unchanged. Files only in the old archive are carried over either way.
    /// </summary>
    public bool Force { get; init; }
}
