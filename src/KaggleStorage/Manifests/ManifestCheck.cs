namespace KaggleStorage.Manifests;

/// <summary>The outcome of checking a partition against its download manifest.</summary>
/// <param name="Health">Missing, valid or invalid.</param>
/// <param name="Problems">What disagrees, one line each; empty when valid.</param>
public sealed record ManifestCheck(ManifestHealth Health, IReadOnlyList<string> Problems);
