namespace KaggleStorage.Errors;

/// <summary>What was asked for is not in the store: a day without raw data or archive, an archive that is not there.</summary>
public sealed class StorageNotFoundException : StorageInputException
{
    /// <summary>Creates the exception.</summary>
    public StorageNotFoundException(string message)
        : base(message)
    {
    }
}
