using System.Globalization;
using BenchmarkDotNet.Running;
using KaggleStorage.Demo;
using KaggleStorage.Layout;

// "generate <dir> <YYYYMMDD> <MiB>" writes one realistic raw partition for the comparison scripts;
// anything else runs the BenchmarkDotNet suites.
if (args is ["generate", var directory, var date, var megabytes])
{
    var writer = new SampleDataWriter(new System.IO.Abstractions.FileSystem());
    var files = await writer.WriteDayAsync(
        directory, PartitionDate.Parse(date), (long)(double.Parse(megabytes, CultureInfo.InvariantCulture) * 1024 * 1024), seed: 2024);
    Console.WriteLine($"wrote {files.Count} files into {directory}");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
