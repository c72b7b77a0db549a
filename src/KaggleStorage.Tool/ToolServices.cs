using KaggleStorage.Hosting;
using KaggleStorage.Layout;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Tool;

/// <summary>Builds the library's services for one invocation, the same way a host would.</summary>
internal static class ToolServices
{
    public static ServiceProvider Build(string? root, bool verbose, TextWriter error)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)

            // Every retry is logged by the resilience pipeline; the outcome reaches the user as one error line, so the
            // attempts are only shown with --verbose.
            .AddFilter("Polly", verbose ? LogLevel.Debug : LogLevel.None)

            // A day that failed to archive is in the result, which archive prints as its one error line (and --json
            // as its outcome); the service's error log of the same failure would make it two lines.
            // (A filter function replaces the minimum level for the categories it covers, so it repeats it.)
            .AddFilter((category, level) => verbose
                ? level >= LogLevel.Debug
                : level == LogLevel.Warning || (level >= LogLevel.Error && category != typeof(KaggleStorage.Archival.ArchiveService).FullName))
            .AddProvider(new TextWriterLoggerProvider(error)));
        services.AddKaggleStorage(configuration, options =>
        {
            if (!string.IsNullOrWhiteSpace(root))
            {
                // A path typed on the command line is relative to where the user stands.
                options.Root = Path.GetFullPath(root);
            }
        });

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        // What ValidateOnStart does for a host: fail before any work with every configuration problem listed.
        _ = provider.GetRequiredService<IOptions<KaggleStorageOptions>>().Value;
        return provider;
    }
}
