using System.CommandLine;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class CatCommand
{
    public static Command Create(CommandRunner runner)
    {
        var date = new Argument<string>("date") { Description = "The day, YYYYMMDD." };
        var file = new Argument<string>("file")
        {
            Description = "A name in the day's raw folder (price_file_x.csv), or a path from the store root (raw/YYYYMMDD/x.csv, processed/YYYYMMDD/load_summary.json).",
        };
        var command = new Command(
            "cat",
            "Write one file of a day to stdout, from its live folder or else its archive (on the volume or in S3, reading only the blocks that hold the file). Archived bytes are checked against the index's SHA-256; a mismatch is exit 1.")
        {
            date,
            file,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            await using var stream = await services.GetRequiredService<DayFileReader>().OpenReadAsync(
                PartitionDate.Parse(parseResult.GetRequiredValue(date)), parseResult.GetRequiredValue(file), cancellationToken);
            await stream.CopyToAsync(runner.Console.BinaryOut, 1 << 16, cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }
}
