using KaggleStorage.IO;

namespace KaggleStorage.Archival;

/// <summary>The words a person reads about one scrubbed archive, as soon as its reading ends.</summary>
internal static class ScrubWording
{
    public static IReadOnlyList<string> Outcome(ScrubOutcome outcome)
    {
        var lines = new List<string>
        {
            outcome.Kind switch
            {
                ScrubStatus.Sound => $"{outcome.Date}: archive ok ({Quantity.Of(outcome.EntriesChecked, "file")})",
                ScrubStatus.Skipped => $"{outcome.Date}: skipped, {string.Join("; ", outcome.Problems)}",
                ScrubStatus.Missing => $"{outcome.Date}: archive MISSING {outcome.ArchiveLocation} (index {outcome.IndexPath})",
                _ => $"{outcome.Date}: archive DAMAGED {outcome.ArchiveLocation} (index {outcome.IndexPath})",
            },
        };
        if (outcome.Failed)
        {
            lines.AddRange(outcome.Problems.Select(problem => $"  {problem}"));
        }

        return lines;
    }
}
