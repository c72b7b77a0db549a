namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>How a step ended: the tool's result (none for the fetch job's and the ETL's own writes), or killed.</summary>
internal sealed record StepOutcome(ToolResult? Result, bool Killed)
{
    public static StepOutcome NotACommand { get; } = new(null, Killed: false);

    public override string ToString() =>
        Killed ? $"killed (exit {Result?.ExitCode})" : Result is null ? "written" : $"exit {Result.ExitCode}{FirstLine(Result.StdErr)}";

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return line is null ? string.Empty : $": {line}";
    }
}
