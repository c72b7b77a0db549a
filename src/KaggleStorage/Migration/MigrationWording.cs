using KaggleStorage.IO;

namespace KaggleStorage.Migration;

/// <summary>
/// The words a person reads about a migration or rollback: its plan, and each day or file as it is done. Here
/// rather than in a caller, so the live report and the result say it the same way.
/// </summary>
internal static class MigrationWording
{
    public static IReadOnlyList<string> Plan(string operation, MigrationPlan plan, bool dryRun)
    {
        var lines = new List<string>
        {
            $"{char.ToUpperInvariant(operation[0])}{operation[1..]} {plan.Source} → {plan.Destination}{(dryRun ? " (dry run: nothing is written)" : string.Empty)}",
        };
        foreach (var partition in plan.Partitions)
        {
            var bytes = partition.Files.Sum(f => f.SizeBytes);
            var what = partition.Action switch
            {
                MigrationAction.Copy => $"copy   {Quantity.Of(partition.Files.Count, "file")}, {ByteCount.Format(bytes)}{(partition.HasManifest || operation != MigrationService.Operation ? string.Empty : " (+ manifest written)")}",
                MigrationAction.Skip => "skip   already there, identical",
                MigrationAction.Refused => "REFUSED " + string.Join("; ", partition.Files.Take(3).Select(f => f.Name)),
                _ => "CONFLICT " + string.Join("; ", partition.Files.Where(f => f.Action == MigrationAction.Conflict).Take(3).Select(f => $"{f.Name}: {f.Reason}")),
            };
            lines.Add($"  {partition.Date}  {what}");
        }

        foreach (var file in plan.AreaFiles)
        {
            lines.Add($"  {file.Area.ToString().ToLowerInvariant()}/{file.File.Name}  {file.File.Action.ToString().ToLowerInvariant()}{(file.File.Reason is null ? string.Empty : $" ({file.File.Reason})")}");
        }

        foreach (var stray in plan.Strays)
        {
            lines.Add($"  skipped {stray.Path}: {stray.Reason}");
        }

        lines.Add(plan.NothingToDo && plan.Conflicts == 0
            ? "Nothing to do: everything is already in place."
            : $"Total: {Quantity.Of(plan.FilesToCopy, "file")}, {ByteCount.Format(plan.BytesToCopy)} to copy; {Quantity.Of(plan.Conflicts, "conflict")}.");
        lines.AddRange(plan.RetentionNotes.Select(note => $"RETENTION {note}"));
        if (plan.RetentionNotes.Count > 0)
        {
            lines.Add("          See exactly what it will remove: kaggle-storage prune --dry-run");
        }

        return lines;
    }

    /// <summary>One line for a day or file as soon as it is done.</summary>
    public static string Completed(JournalEntry entry) =>
        $"  {entry.Kind switch { JournalEntryKind.Day => string.Empty, _ => entry.Kind.ToString().ToLowerInvariant() + "/" }}{entry.Name}  {Outcome(entry.Outcome)}"
        + (entry.Outcome == JournalOutcome.Copied ? $", {Quantity.Of(entry.Files.Count, "file")} verified" : string.Empty)
        + (entry.SourceDeleted ? ", legacy copy deleted" : string.Empty)
        + (entry.Error is null ? string.Empty : $" ({entry.Error})");

    /// <summary>How an entry is named to people: a day by its date, an area's file under its area's folder, a stray by its path.</summary>
    public static string Name(JournalEntry entry) => entry.Kind switch
    {
        JournalEntryKind.Day or JournalEntryKind.Stray => entry.Name,
        _ => entry.Kind.ToString().ToLowerInvariant() + "/" + entry.Name,
    };

    public static string Outcome(JournalOutcome outcome) => outcome.ToString().ToLowerInvariant();
}
