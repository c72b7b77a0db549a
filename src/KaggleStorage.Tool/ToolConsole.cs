namespace KaggleStorage.Tool;

/// <summary>Where a command writes: results on <see cref="Out"/>, diagnostics and errors on <see cref="Error"/>.</summary>
internal sealed record ToolConsole(TextWriter Out, TextWriter Error)
{
    /// <summary>Whether a person is watching stdout, so progress bars make sense.</summary>
    public bool IsInteractive => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>
    /// Reports a failure: one line on stderr, and with <c>--json</c> also one JSON document on stdout, so a script
    /// that parses stdout always gets JSON.
    /// </summary>
    public async Task<int> FailAsync(string message, int exitCode, bool asJson)
    {
        await Error.WriteLineAsync($"error: {message}");
        if (asJson)
        {
            await Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(
                new Rendering.ErrorDocument(message, exitCode), Rendering.ToolJsonContext.Default.ErrorDocument));
        }

        return exitCode;
    }

    /// <summary>Whether the command line asks for JSON output.</summary>
    public static bool WantsJson(System.CommandLine.ParseResult parseResult) =>
        parseResult.Tokens.Any(token => token.Type == System.CommandLine.Parsing.TokenType.Option && token.Value == "--json");
}
