using System.Diagnostics;
using System.Text;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// Runs a seed's script against a real store in <c>workDirectory/store</c>: the fetch job's and the ETL's writes
/// on disk, every command through the built tool, some of them SIGKILLed; the old fetch script's days in a legacy
/// folder beside the store (<c>workDirectory/legacy</c>), and some downloads through the tool from a fake Kaggle
/// on loopback. After every step the store and the legacy folder are read back and held against the model; a lost
/// byte ends the run, a command that broke its contract is recorded and the run goes on.
/// </summary>
internal static class LifecycleRun
{
    public static async Task<LifecycleReport> ExecuteAsync(int seed, int steps, string workDirectory, Action<string> log)
    {
        var script = LifecycleScript.Generate(seed, steps);

        // Kestrel on loopback, only for a script that downloads through the tool.
        await using var kaggle = script.Any(step => step.ThroughTool) ? await FakeKaggleServer.StartAsync() : null;
        return await ExecuteAsync(seed, script, workDirectory, kaggle, log);
    }

    private static async Task<LifecycleReport> ExecuteAsync(
        int seed, IReadOnlyList<LifecycleStep> script, string workDirectory, FakeKaggleServer? kaggle, Action<string> log)
    {
        var steps = script.Count;
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
        var legacyBefore = LegacySnapshot.Read(writer.LegacyData);
        foreach (var step in script)
        {
            var day = step.Day(firstDay);
            var outcome = StepOutcome.NotACommand;
            IReadOnlyDictionary<string, string> downloaded = new Dictionary<string, string>();
            switch (step.Operation)
            {
                case LifecycleOperation.Download when step.ThroughTool:
                    var files = DayWriter.DatasetFiles(step.ContentSeed);
                    downloaded = files.ToDictionary(file => file.Name, file => StoreSnapshot.Hash(Encoding.UTF8.GetBytes(file.Content)), StringComparer.Ordinal);
                    kaggle!.Zip = FakeKaggleServer.CreateZip(files);

                    // A version no raw day has, so the download is never "unchanged".
                    kaggle.Version = 1_000_000 + step.Number;
                    outcome = await RunCommandAsync(step, root, firstDay, writer.LegacyData, KaggleEnvironment(kaggle, workDirectory));
                    break;
                case LifecycleOperation.Download or LifecycleOperation.InvalidDownload:
                    var invalid = step.Operation == LifecycleOperation.InvalidDownload;
                    Publish(model, root, await writer.DownloadAsync(day, step.ContentSeed, invalid));
                    if (invalid)
                    {
                        model.MarkInvalid(day);
                    }

                    break;
                case LifecycleOperation.EtlWrite:
                    Publish(model, root, await writer.WriteProcessedAsync(day, step.ContentSeed, step.NonUtf8Name));
                    break;
                case LifecycleOperation.LegacyWrite:
                    var written = await writer.WriteLegacyDayAsync(day, step.ContentSeed, step.NonUtf8Name);
                    var legacy = LegacySnapshot.Read(writer.LegacyData);
                    foreach (var path in written)
                    {
                        model.WriteLegacy(path, legacy.Files[path]);
                    }

                    break;
                case LifecycleOperation.FixNames:
                    foreach (var (area, folder) in new[] { ("raw/", Path.Combine(root, "raw")), ("processed/", Path.Combine(root, "processed")), ("kaggle_raw/", Path.Combine(writer.LegacyData, "kaggle_raw")) })
                    {
                        foreach (var (from, to) in ByteNames.RenameNonUtf8(folder, DayWriter.FromCp1255))
                        {
                            model.Rename(area + from, area + to);
                        }
                    }

                    break;
                default:
                    outcome = await RunCommandAsync(step, root, firstDay, writer.LegacyData, null);
                    break;
            }

            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var released = step.Retention is { } retention
                ? model.Release(retention.ArchiveDays, today, before)
                : new HashSet<string>();
            var after = StoreSnapshot.Read(root);
            var legacyAfter = LegacySnapshot.Read(writer.LegacyData);
            if (step.Operation == LifecycleOperation.RestoreForce && before.Archives.TryGetValue(day, out var restored))
            {
                model.AcceptRestored(restored, after);
            }

            // What the tool itself published (a migrated or downloaded day) becomes the model's once it is whole.
            var published = new List<string>();
            if (step.ThroughTool)
            {
                published.AddRange(model.AcceptNewRawDay(day, downloaded, before, after));
            }
            else if (step.IsMigrate)
            {
                foreach (var legacyDay in legacyBefore.Days)
                {
                    var expected = legacyBefore.FilesOf(legacyDay).ToDictionary(
                        file => file.Key[$"kaggle_raw/{legacyDay}/".Length..], file => file.Value, StringComparer.Ordinal);
                    published.AddRange(model.AcceptNewRawDay(legacyDay, expected, before, after));
                }
            }

            var losses = model.FindLosses(before, after, released).Concat(model.FindLegacyLosses(legacyAfter, after, step)).ToList();
            var problems = published.Concat(LifecycleExpectations.Check(step, outcome, before, after, model, firstDay, today, legacyBefore, legacyAfter)).ToList();
            model.Settle(after);
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
            legacyBefore = legacyAfter;
        }

        return new LifecycleReport(seed, steps, firstDay, lines, violations);
    }

    /// <summary>Points the tool at the fake Kaggle with its legacy key, and at a home folder of this run's.</summary>
    private static Dictionary<string, string?> KaggleEnvironment(FakeKaggleServer kaggle, string workDirectory) => new()
    {
        ["KaggleStorage__Kaggle__ApiBaseAddress"] = kaggle.ApiBaseAddress.ToString(),
        ["KaggleStorage__Kaggle__RpcBaseAddress"] = kaggle.RpcBaseAddress.ToString(),
        ["KaggleStorage__Kaggle__RetryBaseDelay"] = "00:00:00.050",
        ["HOME"] = Path.Combine(workDirectory, "home"),
        ["KAGGLE_USERNAME"] = FakeKaggleServer.Username,
        ["KAGGLE_KEY"] = FakeKaggleServer.Key,
    };

    private static void Publish(LifecycleModel model, string root, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            // By the bytes of its name: a name that is not UTF-8 is known by its escaped form only.
            var folder = string.Join('/', path.Split('/').Take(2));
            var file = ByteNames.Files(Path.Combine(root, folder)).Single(file => $"{folder}/{file.Shown}" == path);
            model.Publish(path, StoreSnapshot.Hash(ByteNames.ReadAll(file.Path)));
        }
    }

    private static async Task<StepOutcome> RunCommandAsync(
        LifecycleStep step, string root, DateOnly firstDay, string legacyData, IReadOnlyDictionary<string, string?>? extraEnvironment)
    {
        string[] arguments = ["--root", root, .. step.ToolArguments(firstDay, legacyData)];
        var environment = (step.Retention?.ToEnvironment() ?? new Dictionary<string, string?>())
            .Concat(extraEnvironment ?? new Dictionary<string, string?>())
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
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
