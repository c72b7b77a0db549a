namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// What one <c>archive/YYYYMMDD.tar.gz</c> holds, read end to end by the test itself: root-relative path →
/// SHA-256 of each regular file, or why it could not be read (then it holds nothing the model can count on).
/// </summary>
internal sealed record ArchiveSnapshot(IReadOnlyDictionary<string, string> Files, string? Damage)
{
    public bool Holds(string path, string sha256) =>
        Damage is null && Files.TryGetValue(path, out var held) && held == sha256;
}
