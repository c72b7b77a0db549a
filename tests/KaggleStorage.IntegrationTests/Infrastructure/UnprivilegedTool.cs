using System.Diagnostics;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// Runs the built tool as a user that file modes apply to, so that a folder nobody may read really cannot be read.
/// CI runs the tests as root, which reads a folder whatever its mode; there the store is handed to <c>nobody</c>
/// and the tool runs as <c>nobody</c> through <c>setpriv</c>. Run as any other user, the tool runs as that user.
/// </summary>
public sealed class UnprivilegedTool
{
    private const string Nobody = "65534";

    private UnprivilegedTool(string home) => Home = home;

    /// <summary>A home folder the tool's user may write.</summary>
    public string Home { get; }

    /// <summary>
    /// Prepares <paramref name="root"/> (and a home folder under <paramref name="scratch"/>) for the tool's user, or
    /// returns null where no such user can be had: root without <c>setpriv</c>.
    /// </summary>
    public static async Task<UnprivilegedTool?> PrepareAsync(string root, string scratch)
    {
        var home = Path.Combine(scratch, "unprivileged-home");
        Directory.CreateDirectory(home);
        if (!Environment.IsPrivilegedProcess)
        {
            return new UnprivilegedTool(home);
        }

        var setpriv = await Shell.RunAsync("setpriv", "--version");
        if (setpriv.ExitCode != 0)
        {
            return null;
        }

        foreach (var path in new[] { root, home })
        {
            var chown = await Shell.RunAsync("chown", "-R", $"{Nobody}:{Nobody}", path);
            Xunit.Assert.True(chown.ExitCode == 0, chown.ToString());
        }

        return new UnprivilegedTool(home);
    }

    /// <summary>Takes every permission off <paramref name="path"/>: its owner cannot list or enter it either.</summary>
    public static void MakeUnreadable(string path) => File.SetUnixFileMode(path, UnixFileMode.None);

    /// <summary>Gives <paramref name="path"/> back its usual mode, so the test's folder can be removed.</summary>
    public static void MakeReadable(string path) =>
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

    public async Task<ToolResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["HOME"] = Home,
            ["DOTNET_CLI_HOME"] = Home,
        };
        var tool = ToolProcess.CreateStartInfo(arguments, variables);
        var start = tool;
        if (Environment.IsPrivilegedProcess)
        {
            start = new ProcessStartInfo("setpriv")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Home,
            };
            foreach (var argument in (string[])[$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", tool.FileName, .. tool.ArgumentList])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment.Clear();
            foreach (var (key, value) in tool.Environment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the tool.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(3));
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
}
