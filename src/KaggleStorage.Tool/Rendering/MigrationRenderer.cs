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
            foreach (var line in result.DescribePlan())
            {
                output.WriteLine(line);
            }
        }

        if (!result.DryRun)
        {
            WriteOutcome(output, result);
        }
    }

    private static void WriteOutcome(TextWriter output, MigrationResult result)
    {
        var deleted = result.SourcesDeleted;
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

    public static string Describe(OperationProgress p) =>
        $"{ProgressLine.Bar(p.BytesTotal is null or 0 ? 1 : (double)p.BytesDone / p.BytesTotal.Value)} {p.FilesDone}/{Quantity.Of(p.FilesTotal, "file")} {ByteCount.Format(p.BytesDone)}/{ByteCount.Format(p.BytesTotal ?? 0)} {p.Current}";
}
