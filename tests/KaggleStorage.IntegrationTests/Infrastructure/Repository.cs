using System.Reflection;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>Where the repository's files are, and how this test assembly was built.</summary>
public static class Repository
{
    public static string Root { get; } = Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
