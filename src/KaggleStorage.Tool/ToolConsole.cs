namespace KaggleStorage.Tool;

/// <summary>Where a command writes: results on <see cref="Out"/>, diagnostics and errors on <see cref="Error"/>.</summary>
/// <param name="Out">Results.</param>
/// <param name="Error">Diagnostics, errors, and progress lines when stdout is not a terminal.</param>
/// <param name="IsInteractive">Whether a person is watching stdout on a terminal, so a self-overwriting bar makes sense.</param>
internal sealed record ToolConsole(TextWriter Out, TextWriter Error, bool IsInteractive = false)
{
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
                new Rendering.ErrorDocument(message, exitCode), Rendering.ToolJsonContext.Output.ErrorDocument));
        }

        return exitCode;
    }

    /// <summary>
    /// Where a command writes bytes rather than text (<c>cat</c>): the stream under <see cref="Out"/>, after what
    /// <see cref="Out"/> holds was flushed, so text and bytes stay in order.
    /// </summary>
    /// <exception cref="InvalidOperationException">Stdout here takes only text.</exception>
    public Stream BinaryOut
    {
        get
        {
            Out.Flush();
            return Out is StreamWriter { BaseStream: var stream } ? stream : throw new InvalidOperationException("This output takes only text.");
        }
    }

    /// <summary>Whether the command line asks for JSON output.</summary>
    public static bool WantsJson(System.CommandLine.ParseResult parseResult) =>
        parseResult.Tokens.Any(token => token.Type == System.CommandLine.Parsing.TokenType.Option && token.Value == "--json");
}
