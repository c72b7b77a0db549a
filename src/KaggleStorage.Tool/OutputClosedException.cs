namespace KaggleStorage.Tool;

/// <summary>
/// The reader of stdout or stderr has gone (<c>tool | head</c>, <c>| grep -q</c>): nobody is left to tell, so the
/// command stops and exits as a shell pipeline expects (128 + SIGPIPE) without a message.
/// </summary>
internal sealed class OutputClosedException(int descriptor)
    : IOException($"The reader of {(descriptor == 1 ? "stdout" : "stderr")} has gone (broken pipe).")
{
    /// <summary>Whether <paramref name="exception"/> or one it wraps is a closed standard stream.</summary>
    public static bool IsCause(Exception? exception) => exception switch
    {
        null => false,
        OutputClosedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsCause),
        _ => IsCause(exception.InnerException),
    };
}
