namespace KaggleStorage.Archival;

/// <summary>
/// The refusal of an archive that holds an entry restoring would let escape its day, or whose name cannot be read.
/// It is an <see cref="InvalidDataException"/> like any other damage of that one archive, so commands that go over
/// many days report it for its day and go on, and restore refuses the archive whole. It is marked so the scanner
/// passes it on as it is instead of calling it corruption.
/// </summary>
internal static class UnsafeArchive
{
    private const string Marker = "KaggleStorage.UnsafeArchive";

    public static InvalidDataException Refused(string message)
    {
        var exception = new InvalidDataException(message);
        exception.Data[Marker] = true;
        return exception;
    }

    public static bool IsRefusal(Exception exception) => exception.Data.Contains(Marker);
}
