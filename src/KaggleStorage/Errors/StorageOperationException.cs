namespace KaggleStorage.Errors;

/// <summary>
/// An operation was attempted and did not succeed: a verification mismatch, a partition that failed, a conflict
/// that was refused. The store is left as it was before the failed step.
/// </summary>
public class StorageOperationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageOperationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public StorageOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
