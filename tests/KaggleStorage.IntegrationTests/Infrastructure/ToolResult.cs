namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>What a run of the built tool printed and returned.</summary>
public sealed record ToolResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
