using System.Diagnostics;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// Runs a seed's script against a real store in <c>workDirectory/store</c>: the fetch job's and the ETL's writes
/// on disk, every command through the built tool, some of them SIGKILLed. After every step the store is read
/// back and held against the model; a lost byte ends the run, a command that broke its contract is recorded and
/// the run goes on.
/// </summary>
internal static class LifecycleRun
{
    public static async Task<LifecycleReport> ExecuteAsync(int seed, int steps, string workDirectory, Action<string> log)
    {
        var root = Path.Combine(workDirectory, "store");
        var init = await ToolProcess.RunAsync("--root", root, "init");
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException($"init failed: {init}");
        }

        var firstDay = DateOnly.FromDateTime(DateTime.UtcNow);
        var model = new LifecycleModel();
        var writer = new DayWriter(root, workDirectory);
        var lines = new List<string>();
        var violations = new List<string>();
        var before = StoreSnapshot.Read(root);
        foreach (var step in LifecycleScript.Generate(seed, steps))
        {
            var day = step.Day(firstDay);
            var outcome = StepOutcome.NotACommand;
            switch (step.Operation)
            {
                case LifecycleOperation.Download or LifecycleOperation.InvalidDownload:
                    var invalid = step.Operation == LifecycleOperation.InvalidDownload;
                    Publish(model, root, await writer.DownloadAsync(day, step.ContentSeed, invalid));
                    if (invalid)
                    {
                        model.MarkInvalid(day);
                    }

                    break;
                case LifecycleOperation.EtlWrite:
                    Publish(model, root, await writer.WriteProcessedAsync(day, step.ContentSeed));
                    break;
                default:
                    outcome = await RunCommandAsync(step, root, firstDay);
                    break;
            }

            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var released = step.Retention is { } retention
                ? model.Release(retention.ArchiveDays, today)
                : new HashSet<string>();
            var after = StoreSnapshot.Read(root);
            if (step.Operation == LifecycleOperation.RestoreForce && before.Archives.TryGetValue(day, out var restored))
            {
                model.AcceptRestored(restored, after);
            }

            var losses = model.FindLosses(before, after, released);
            var problems = LifecycleExpectations.Check(step, outcome, before, after, model, firstDay, today);
            var line = $"{step.Describe(firstDay)} → {outcome}";
            lines.Add(line);
            log(line);
            foreach (var violation in losses.Concat(problems).Select(problem => $"#{step.Number:D2} {problem}"))
            {
                violations.Add(violation);
                log("  ! " + violation);
            }

            if (losses.Count > 0)
            {
                break;
            }

            before = after;
        }

        return new LifecycleReport(seed, steps, firstDay, lines, violations);
    }

    private static void Publish(LifecycleModel model, string root, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            model.Publish(path, StoreSnapshot.Hash(File.ReadAllBytes(Path.Combine(root, path))));
        }
    }

    private static async Task<StepOutcome> RunCommandAsync(LifecycleStep step, string root, DateOnly firstDay)
    {
        string[] arguments = ["--root", root, .. step.ToolArguments(firstDay)];
        var environment = step.Retention?.ToEnvironment();
        if (step.KillAfterMilliseconds is not { } delay)
        {
            return new StepOutcome(await ToolProcess.RunAsync(arguments, environment), Killed: false);
        }

        // The clock starts when this process takes the lock (a killed run's lock file may still be there, so wait
        // for a new one): start-up time, which varies a lot on a loaded machine, must not eat the window.
        var lockFile = Path.Combine(root, ".locks", "store.lock");
        var previousLock = ReadLock(lockFile);
        using var process = Process.Start(ToolProcess.CreateStartInfo(arguments, environment))
            ?? throw new InvalidOperationException("Could not start the tool.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var waited = Stopwatch.StartNew();
        while (!process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(30) && ReadLock(lockFile) is var current
            && (current is null || current == previousLock))
        {
            await Task.Delay(5);
        }

        await Task.Delay(delay);
        var killed = !process.HasExited;
        if (killed)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        return new StepOutcome(new ToolResult(process.ExitCode, await stdout, await stderr), killed);
    }

    private static string? ReadLock(string lockFile)
    {
        try
        {
            return File.Exists(lockFile) ? File.ReadAllText(lockFile) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
