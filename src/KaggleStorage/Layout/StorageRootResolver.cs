namespace KaggleStorage.Layout;

/// <summary>Resolves the store root from its three sources, first non-empty wins.</summary>
internal static class StorageRootResolver
{
    public static string Resolve(string? configured, Func<string, string?> getEnvironmentVariable)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var fromEnvironment = getEnvironmentVariable(KaggleStorageOptions.RootEnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? KaggleStorageOptions.DefaultRoot : fromEnvironment;
    }
}
