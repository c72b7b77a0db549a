namespace KaggleStorage.IO;

/// <summary>How one name differs between the expected and the actual side of a <see cref="FileSetComparison"/>.</summary>
internal enum FileDifferenceKind
{
    /// <summary>Expected but not there.</summary>
    Missing,

    /// <summary>There but not expected.</summary>
    Extra,

    /// <summary>On both sides with other lengths (the content is then not hashed).</summary>
    SizeDiffers,

    /// <summary>On both sides, same length, other SHA-256.</summary>
    HashDiffers,

    /// <summary>On both sides, same length, but a side could not be read to hash it.</summary>
    Unreadable,
}

/// <summary>One name whose file is not the same on both sides.</summary>
/// <param name="Kind">How it differs.</param>
/// <param name="Name">The name both sides use.</param>
/// <param name="Expected">The expected side; null when <see cref="FileDifferenceKind.Extra"/>.</param>
/// <param name="Actual">The actual side; null when <see cref="FileDifferenceKind.Missing"/>.</param>
/// <param name="Error">Why the file could not be read, for <see cref="FileDifferenceKind.Unreadable"/>.</param>
internal sealed record FileDifference(
    FileDifferenceKind Kind, string Name, FileSetEntry? Expected, FileSetEntry? Actual, Exception? Error = null)
{
    /// <summary>The expected side (throws when it is an extra).</summary>
    public FileSetEntry Want => Expected ?? throw new InvalidOperationException($"{Name} is not expected.");

    /// <summary>The actual side (throws when it is missing).</summary>
    public FileSetEntry Found => Actual ?? throw new InvalidOperationException($"{Name} is missing.");
}
