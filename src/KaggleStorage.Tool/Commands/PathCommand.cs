using System.CommandLine;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class PathCommand
{
    public static Command Create(CommandRunner runner)
    {
        var area = new Argument<string>("area") { Description = "raw or processed (a date directory), or archive (the day's .tar.gz: a path, or s3://bucket/key with the S3 archive store)." };
        var date = new Argument<string>("date") { Description = "The day, YYYYMMDD." };
        var command = new Command("path", "Print where a day lives, e.g. 'path raw 20241026' prints <root>/raw/20241026. Does not check that it exists.")
        {
            area,
            date,
        };
        command.SetAction((parseResult, _) => runner.RunAsync(parseResult, async services =>
        {
            var path = services.GetRequiredService<DayFileReader>().Locate(
                StorageAreas.Parse(parseResult.GetRequiredValue(area)), PartitionDate.Parse(parseResult.GetRequiredValue(date)));
            await runner.Console.Out.WriteLineAsync(path);
            return ExitCodes.Success;
        }));
        return command;
    }
}
