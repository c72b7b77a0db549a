using KaggleStorage.Hosting;
using KaggleStorage.Layout;
using KaggleStorage.Tool.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>Writes realistic days straight onto a real disk with the tool's generator, wired as hosts wire the library.</summary>
public static class SampleStore
{
    /// <summary>A raw day of CSVs with a matching download manifest.</summary>
    public static async Task WriteRawDayAsync(string root, string date, long bytes, int seed = 1)
    {
        await using var services = new ServiceCollection()
            .AddKaggleStorage(o => o.Root = root)
            .AddSingleton<SampleDataWriter>()
            .AddSingleton<SampleStoreGenerator>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await services.GetRequiredService<SampleStoreGenerator>()
            .WritePartitionAsync(Path.Combine(root, "raw", date), PartitionDate.Parse(date), bytes, seed);
    }

    public static void WriteProcessedDay(string root, string date)
    {
        var directory = Path.Combine(root, "processed", date);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "load_summary.json"), "{\"schemaVersion\":1}");
        File.WriteAllText(Path.Combine(directory, "validation_report.json"), "{\"schemaVersion\":1}");
    }
}
