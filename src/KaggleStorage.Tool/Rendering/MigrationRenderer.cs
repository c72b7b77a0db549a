using KaggleStorage.IO;
using KaggleStorage.Migration;

namespace KaggleStorage.Tool.Rendering;

/// <summary>Prints a migration or rollback plan and result for people.</summary>
internal static class MigrationRenderer
{
    /// <summary>The plan and, for a real run, its outcome; <paramref name="planShown"/> when the plan was printed before the work.</summary>
    public static void Write(TextWriter output, MigrationResult result, bool planShown = false)
    {
        if (!planShown)
        {
            WritePlan(output, result.Operation, result.Plan, result.DryRun);
        }

        if (!result.DryRun)
        {
            WriteOutcome(output, result);
        }
    }

    public static void WritePlan(TextWriter output, string operation, MigrationPlan plan, bool dryRun)
    {
        output.WriteLine($"{Capitalize(operation)} {plan.Source} → {plan.Destination}{(dryRun ? " (dry run: nothing is written)" : string.Empty)}");
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
            output.WriteLine($"  {partition.Date}  {what}");
        }

        foreach (var file in plan.AreaFiles)
        {
            output.WriteLine($"  {file.Area.ToString().ToLowerInvariant()}/{file.File.Name}  {file.File.Action.ToString().ToLowerInvariant()}{(file.File.Reason is null ? string.Empty : $" ({file.File.Reason})")}");
        }

        foreach (var stray in plan.Strays)
        {
            output.WriteLine($"  skipped {stray.Path}: {stray.Reason}");
        }

        output.WriteLine(plan.NothingToDo && plan.Conflicts == 0
            ? "Nothing to do: everything is already in place."
            : $"Total: {Quantity.Of(plan.FilesToCopy, "file")}, {ByteCount.Format(plan.BytesToCopy)} to copy; {Quantity.Of(plan.Conflicts, "conflict")}.");
        foreach (var note in plan.RetentionNotes)
        {
            output.WriteLine($"RETENTION {note}");
        }

        if (plan.RetentionNotes.Count > 0)
        {
            output.WriteLine("          See exactly what it will remove: kaggle-storage prune --dry-run");
        }
    }

    /// <summary>One line for a day or file as soon as it is done.</summary>
    public static string DescribeCompleted(JournalEntry entry) =>
        $"  {entry.Kind switch { JournalEntryKind.Day => string.Empty, _ => entry.Kind.ToString().ToLowerInvariant() + "/" }}{entry.Name}  {entry.Outcome.ToString().ToLowerInvariant()}"
        + (entry.Outcome == JournalOutcome.Copied ? $", {Quantity.Of(entry.Files.Count, "file")} verified" : string.Empty)
        + (entry.SourceDeleted ? ", legacy copy deleted" : string.Empty)
        + (entry.Error is null ? string.Empty : $" ({entry.Error})");

    private static void WriteOutcome(TextWriter output, MigrationResult result)
    {
        var deleted = result.Entries.Count(e => e.SourceDeleted);
        if (deleted > 0)
        {
            output.WriteLine($"Deleted {Quantity.Of(deleted, "legacy day")} after verifying their copies.");
        }

        foreach (var problem in result.Problems)
        {
            output.WriteLine($"PROBLEM {problem}");
        }

        output.WriteLine($"Journal: {result.JournalPath}");
        output.WriteLine(result.Succeeded ? "Done: every copy verified." : $"Finished with {Quantity.Of(result.Problems.Count, "problem")}.");
    }

    public static string Describe(MigrationProgress p) =>
        $"{ProgressLine.Bar(p.BytesTotal == 0 ? 1 : (double)p.BytesDone / p.BytesTotal)} {p.FilesDone}/{Quantity.Of(p.FilesTotal, "file")} {ByteCount.Format(p.BytesDone)}/{ByteCount.Format(p.BytesTotal)} {p.Current}";

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
