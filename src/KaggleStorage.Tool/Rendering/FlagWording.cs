namespace KaggleStorage.Tool.Rendering;

/// <summary>
/// Library messages name the API's <c>force</c> parameter ("restore with force to replace them"), since a service
/// calls the library without any flags; a person at the tool needs the flag to type.
/// </summary>
internal static class FlagWording
{
    public static string ForTool(string message) =>
        message.Replace("with force", "with --force", StringComparison.Ordinal)
            .Replace("With force", "With --force", StringComparison.Ordinal);
}
