namespace KaggleStorage.Locking;

/// <summary>
/// Something a killed run left in <c>.staging/</c> or <c>.trash/</c>; never under a final name, and removed by the
/// next command that takes the store lock, except a day an interrupted replace set aside (<see cref="PutBackTo"/>),
/// which that command puts back.
/// </summary>
/// <param name="Path">Full path.</param>
/// <param name="Bytes">Size of the file, or of the files in the folder.</param>
public sealed record LeftoverEntry(string Path, long Bytes)
{
    /// <summary>
    /// For a folder moved aside by a replace (<c>download --force</c>) that was stopped before its replacement took
    /// its place: where it belongs. It is then the only copy of that folder, and the next locked command puts it back.
    /// </summary>
    public string? PutBackTo { get; init; }
}
