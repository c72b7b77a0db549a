using System.Diagnostics;
using System.Security.Cryptography;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>Runs real GNU tools (tar, gzip) and hashes trees, for interop checks.</summary>
public static class Shell
{
    public static async Task<ToolResult> RunAsync(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Relative path → SHA-256 of every file under a folder (hidden working files included).</summary>
    public static SortedDictionary<string, string> HashTree(string root)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return hashes;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            hashes[Path.GetRelativePath(root, file)] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return hashes;
    }
}
