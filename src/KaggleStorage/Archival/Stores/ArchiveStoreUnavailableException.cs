namespace KaggleStorage.Archival;

/// <summary>
/// The archive store as a whole cannot be used (unreachable, its bucket missing, the credentials refused). Unlike a
/// damaged or unreadable object, which is the problem of its day, this fails the command at once: every other day
/// would fail the same way.
/// </summary>
internal sealed class ArchiveStoreUnavailableException(string message, Exception innerException) : IOException(message, innerException)
{
    /// <summary>Whether <paramref name="exception"/> is the problem of one day rather than of the whole store.</summary>
    public static bool IsDayProblem(Exception exception) =>
        exception is (IOException or UnauthorizedAccessException or InvalidDataException) and not ArchiveStoreUnavailableException;
}
