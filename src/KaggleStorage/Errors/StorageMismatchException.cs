namespace KaggleStorage.Errors;

/// <summary>
/// Data differs from what it must equal, so the operation refused to go on: an archive that differs from the day
/// or from its index, files that would be overwritten by different ones, a day whose manifest does not hold.
/// Nothing was changed; replacing is the caller's explicit choice (<c>force</c>).
/// </summary>
public sealed class StorageMismatchException : StorageOperationException
{
    /// <summary>Creates the exception.</summary>
    public StorageMismatchException(string message)
        : base(message)
    {
    }
}
