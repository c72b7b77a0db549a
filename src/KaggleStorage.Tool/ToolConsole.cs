namespace KaggleStorage.Tool;

/// <summary>Where a command writes: results on <see cref="Out"/>, diagnostics and errors on <see cref="Error"/>.</summary>
internal sealed record ToolConsole(TextWriter Out, TextWriter Error)
{
    /// <summary>Whether a person is watching stdout, so progress bars make sense.</summary>
    public bool IsInteractive => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;
}
