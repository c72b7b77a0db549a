namespace KaggleStorage.Manifests;

/// <summary>A manifest file exists but cannot be used: malformed JSON, a missing field, or an unknown schema.</summary>
public sealed class ManifestFormatException : Exception
{
    /// <summary>Creates the exception for a file.</summary>
    public ManifestFormatException(string filePath, string problem, Exception? innerException = null)
        : base($"Manifest '{filePath}' cannot be read: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The manifest file.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
