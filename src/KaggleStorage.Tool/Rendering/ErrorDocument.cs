namespace KaggleStorage.Tool.Rendering;

/// <summary>What <c>--json</c> prints on stdout when a command fails, so a script always gets one JSON document.</summary>
/// <param name="Error">The same one-line message as on stderr.</param>
/// <param name="ExitCode">The process exit code: 1 the operation failed, 2 bad usage or input.</param>
internal sealed record ErrorDocument(string Error, int ExitCode);
