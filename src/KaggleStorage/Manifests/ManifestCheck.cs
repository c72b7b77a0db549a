namespace KaggleStorage.Manifests;

/// <summary>The outcome of checking a partition against its download manifest.</summary>
public sealed record ManifestCheck
{
    internal ManifestCheck(ManifestHealth Health, IReadOnlyList<string> Problems)
    {
        this.Health = Health;
        this.Problems = Problems;
    }

    /// <summary>Missing, valid or invalid.</summary>
    public ManifestHealth Health { get; internal init; }

    /// <summary>What disagrees, one line each; empty when valid.</summary>
    public IReadOnlyList<string> Problems { get; internal init; }
}
