using System.CommandLine;
using KaggleStorage.Errors;
using KaggleStorage.Tool.Demo;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class DemoCommand
{
    public const string DefaultDirectory = "kaggle-demo";

    public static Command Create(CommandRunner runner)
    {
        var dir = new Option<string?>("--dir")
        {
            Description = $"Folder to build the demo store in (new, empty, or built there by an earlier demo, which is emptied first); the same as --root. Default: {DefaultDirectory}.",
        };
        var days = NumberOptions.WholeNumber("--days", "How many consecutive days to generate, ending yesterday (UTC).", 1, 3650, 10);
        var megabytesPerDay = NumberOptions.Number("--mb-per-day", "Approximate size of one day's CSVs in MiB.", 0, 10_240, 3);
        var seed = NumberOptions.WholeNumber("--seed", "Seed of the generator; the same seed gives the same files.", 0, int.MaxValue, 2024);
        var skipPrune = new Option<bool>("--skip-prune")
        {
            Description = "Stop after archiving, so 'prune --dry-run' on the demo store shows what retention would do.",
        };

        var command = new Command(
            "demo",
            "Build a realistic sample store in a local folder (supermarket price and promotion CSVs with manifests) and walk through the flow on it. Needs no credentials and no network.")
        {
            dir,
            days,
            megabytesPerDay,
            seed,
            skipPrune,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            // Only a folder named on the command line: the configured store root is never taken for a demo folder.
            var given = parseResult.GetValue(dir);
            var root = parseResult.GetValue(runner.Globals.Root);
            var folder = Path.GetFullPath(given ?? root ?? DefaultDirectory);
            var request = new DemoRequest(
                parseResult.GetValue(days),
                (long)(parseResult.GetValue(megabytesPerDay) * 1024 * 1024),
                parseResult.GetValue(seed),
                parseResult.GetValue(skipPrune));
            return runner.RunAsync(
                parseResult,
                async services =>
                {
                    if (given is not null && root is not null && !string.Equals(folder, Path.GetFullPath(root), StringComparison.Ordinal))
                    {
                        throw new StorageInputException($"--dir '{given}' and --root '{root}' name two folders; give the demo one of them.");
                    }

                    var report = await services.GetRequiredService<DemoScenario>().RunAsync(request, cancellationToken);
                    await DemoRenderer.WriteAsync(runner.Console.Out, folder, request, report);
                    return report.Failures > 0 ? ExitCodes.OperationFailed : ExitCodes.Success;
                },
                rootOverride: folder);
        });
        return command;
    }
}
