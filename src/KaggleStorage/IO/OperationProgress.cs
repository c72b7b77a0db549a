namespace KaggleStorage.IO;

/// <summary>
/// Progress of a long operation: a download, a migration or rollback, a prune, a scrub. One shape for all of them, so a
/// caller draws one kind of progress line whatever the work.
/// </summary>
public sealed record OperationProgress
{
    internal OperationProgress(string Stage, long BytesDone, long? BytesTotal, int FilesDone = 0, int FilesTotal = 0, string? Current = null)
    {
        this.Stage = Stage;
        this.BytesDone = BytesDone;
        this.BytesTotal = BytesTotal;
        this.FilesDone = FilesDone;
        this.FilesTotal = FilesTotal;
        this.Current = Current;
    }

    /// <summary>What the work is doing, one lower-case word: <c>receiving</c> and then <c>extracting</c> for a download, <c>copying</c> for a migration or rollback, <c>removing</c> for a prune, <c>reading</c> for a scrub (which counts archives as files and names the day being read), <c>archiving</c> for an archive run (which counts days as files and names the day being archived).</summary>
    public string Stage { get; internal init; }

    /// <summary>Bytes handled so far in this stage.</summary>
    public long BytesDone { get; internal init; }

    /// <summary>Bytes this stage will handle, when known.</summary>
    public long? BytesTotal { get; internal init; }

    /// <summary>Files or days handled so far; 0 when the stage does not count them.</summary>
    public int FilesDone { get; internal init; }

    /// <summary>Files or days the stage will handle; 0 when it does not count them.</summary>
    public int FilesTotal { get; internal init; }

    /// <summary>The file or folder being handled, when there is one.</summary>
    public string? Current { get; internal init; }

    /// <summary>
    /// Lines to show at once, worded by the library: a plan before its work starts, or a day or file as soon as
    /// it is done. Empty for an ordinary update of the counts.
    /// </summary>
    public IReadOnlyList<string> Lines { get; internal init; } = [];

    /// <summary>
    /// Lines that tell a failure, worded by the library, to show at once as errors (an archive run tells a day that
    /// failed here while the other days go on). Empty when nothing failed.
    /// </summary>
    public IReadOnlyList<string> Errors { get; internal init; } = [];
}
