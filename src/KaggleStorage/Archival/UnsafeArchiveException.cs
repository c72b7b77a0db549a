namespace KaggleStorage.Archival;

/// <summary>An archive holds an entry that restoring would let escape its partition; nothing was written.</summary>
public sealed class UnsafeArchiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnsafeArchiveException(string message)
        : base(message)
    {
    }
}
