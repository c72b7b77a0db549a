namespace KaggleStorage.Locking;

/// <summary>
/// Something a killed run left in <c>.staging/</c> or <c>.trash/</c>; never under a final name, and removed by the
/// next command that takes the store lock.
/// </summary>
/// <param name="Path">Full path.</param>
/// <param name="Bytes">Size of the file, or of the files in the folder.</param>
public sealed record LeftoverEntry(string Path, long Bytes);
