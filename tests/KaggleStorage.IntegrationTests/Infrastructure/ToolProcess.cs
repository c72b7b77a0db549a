using System.Diagnostics;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// Runs the built <c>kaggle-storage</c> as a child process, the way a CronJob or a person does, with an
/// environment stripped of the store settings of the machine running the tests.
/// </summary>
public static class ToolProcess
{
    public static string DllPath { get; } = Path.GetFullPath(
        typeof(ToolProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "ToolPath").Value!);

    public static ProcessStartInfo CreateStartInfo(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in startInfo.Environment.Keys.ToList())
        {
            if (key.StartsWith("KAGGLE", StringComparison.OrdinalIgnoreCase))
            {
                startInfo.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[key] = value;
        }

        return startInfo;
    }

    public static async Task<ToolResult> RunAsync(
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        using var process = Process.Start(CreateStartInfo(arguments, environment, workingDirectory))
            ?? throw new InvalidOperationException("Could not start the tool.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kaggle-storage {string.Join(' ', arguments)} did not finish in time.");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<ToolResult> RunAsync(params string[] arguments) => RunAsync((IEnumerable<string>)arguments);
}
