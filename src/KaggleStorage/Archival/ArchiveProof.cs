namespace KaggleStorage.Archival;

/// <summary>What is known of when an archive was last proven whole.</summary>
/// <param name="LastVerifiedAtUtc">The last reading, passed or failed; its creation when it was never scrubbed; null without an index.</param>
/// <param name="LastPassedAtUtc">The last reading that found nothing wrong, its creation counting as the first.</param>
/// <param name="Failed">The last scrub of this very archive found it damaged or missing.</param>
/// <param name="Problems">What that scrub found, when it failed.</param>
internal sealed record ArchiveProof(DateTimeOffset? LastVerifiedAtUtc, DateTimeOffset? LastPassedAtUtc, bool Failed, IReadOnlyList<string> Problems);
