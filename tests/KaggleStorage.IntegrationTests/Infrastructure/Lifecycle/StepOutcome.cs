namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>How a step ended: the tool's result (none for the fetch job's and the ETL's own writes), or killed.</summary>
internal sealed record StepOutcome(ToolResult? Result, bool Killed)
{
    public static StepOutcome NotACommand { get; } = new(null, Killed: false);

    public override string ToString() =>
        Killed ? $"killed (exit {Result?.ExitCode})" : Result is null ? "written" : $"exit {Result.ExitCode}{FirstLine(Result.StdErr)}";

    // The error, not a warning before it (a lock taken over from a killed run), is what explains an exit 1.
    private static string FirstLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = lines.FirstOrDefault(line => line.StartsWith("error:", StringComparison.Ordinal)) ?? lines.FirstOrDefault();
        return line is null ? string.Empty : $": {line}";
    }
}
