using KaggleStorage.Hosting;
using KaggleStorage.Tool.Demo;
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

        // The tool serves every archive store the configuration may name.
        services.AddKaggleStorageS3(configuration);

        // The demo is the tool's own scenario, built on the library's public services.
        services.AddSingleton<SampleDataWriter>();
        services.AddSingleton<SampleStoreGenerator>();
        services.AddSingleton<DemoScenario>();

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            ValidateOnStart(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return provider;
    }

    /// <summary>
    /// What a host does at start: every options section the library registered with ValidateOnStart is checked before
    /// any command runs, whichever command it is, and all their problems are told at once.
    /// </summary>
    private static void ValidateOnStart(IServiceProvider provider)
    {
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (AggregateException many) when (many.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            var failures = many.InnerExceptions.Cast<OptionsValidationException>().ToList();
            throw new OptionsValidationException(failures[0].OptionsName, failures[0].OptionsType, failures.SelectMany(failure => failure.Failures));
        }
    }
}
