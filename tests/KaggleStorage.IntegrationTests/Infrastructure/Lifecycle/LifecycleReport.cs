using System.Text;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>What a run did, step by step, and what broke; its text carries everything needed to replay it.</summary>
internal sealed record LifecycleReport(int Seed, int Steps, DateOnly FirstDay, IReadOnlyList<string> Log, IReadOnlyList<string> Violations)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"seed {Seed}, {Steps} steps, first day {FirstDay:yyyyMMdd}: {Violations.Count} violation(s)");
        text.AppendLine($"replay: KAGGLE_STORAGE_MODEL_SEED={Seed} KAGGLE_STORAGE_MODEL_STEPS={Steps} dotnet test tests/KaggleStorage.IntegrationTests -c Release --filter \"FullyQualifiedName~LifecycleModelTests\"");
        foreach (var violation in Violations)
        {
            text.AppendLine("  ! " + violation);
        }

        text.AppendLine("steps:");
        foreach (var line in Log)
        {
            text.AppendLine("  " + line);
        }

        return text.ToString();
    }
}
