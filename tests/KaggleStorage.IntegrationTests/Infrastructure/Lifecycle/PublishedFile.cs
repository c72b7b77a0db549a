using System.Collections.Immutable;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// One path of a day as the model knows it: the version that must stay reachable (the latest one written, or the
/// one a forced restore put back), whether retention has let it go, and every version ever published under it.
/// </summary>
internal sealed record PublishedFile(string Latest, bool Released, ImmutableHashSet<string> History);
