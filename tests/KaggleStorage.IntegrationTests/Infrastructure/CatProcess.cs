using System.Diagnostics;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>Runs <c>kaggle-storage cat</c> as a child process and keeps its stdout as bytes, not text.</summary>
public static class CatProcess
{
    public static async Task<(int ExitCode, byte[] Bytes, string StdErr)> RunAsync(
        string root, string day, string file, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Process.Start(ToolProcess.CreateStartInfo(["--root", root, "cat", day, file], environment))
            ?? throw new InvalidOperationException("Could not start the tool.");
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cancellation.Token);
        await copy;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }
}
