namespace KaggleStorage.Migration;

/// <summary>What a legacy manifest says of one file; null where it says nothing.</summary>
internal sealed record LegacyClaim(string Name, long? SizeBytes, string? Sha256, string? Md5);
