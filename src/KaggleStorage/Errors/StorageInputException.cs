namespace KaggleStorage.Errors;

/// <summary>
/// The caller asked for something that cannot be: a missing source directory, a day the store does not have,
/// a path of the wrong kind. Distinct from an operation that was attempted and failed.
/// </summary>
public class StorageInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public StorageInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
