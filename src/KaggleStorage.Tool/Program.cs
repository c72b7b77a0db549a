using System.Text;
using KaggleStorage.Tool;

using var stdout = StandardStream(1);
using var stderr = StandardStream(2);
try
{
    return await new KaggleStorageCommandLine(stdout, stderr, interactive: !Console.IsOutputRedirected).InvokeAsync(args);
}
catch (Exception exception) when (OutputClosedException.IsCause(exception))
{
    // Nobody is reading any more (`| head`, `| grep -q`): end as a pipeline expects, without a word.
    return ExitCodes.OutputClosed;
}

// On Unix, plain write(2) on descriptors 1 and 2, so redirections that share one file offset stay in order.
static StreamWriter StandardStream(int descriptor) =>
    new(OperatingSystem.IsWindows()
            ? (descriptor == 1 ? Console.OpenStandardOutput() : Console.OpenStandardError())
            : new DescriptorStream(descriptor),
        new UTF8Encoding(false)) { AutoFlush = true };
