using System.Globalization;
using BenchmarkDotNet.Running;
using KaggleStorage.Tool.Demo;
using KaggleStorage.Layout;

// "generate <dir> <YYYYMMDD> <MiB> [real]" writes one realistic raw partition for the comparison scripts ("real":
// the real dataset's shape, 162 files with heavy-tailed sizes); anything else runs the BenchmarkDotNet suites.
if (args is ["generate", var directory, var date, var megabytes, .. var rest])
{
    var writer = new SampleDataWriter(new System.IO.Abstractions.FileSystem());
    var bytes = (long)(double.Parse(megabytes, CultureInfo.InvariantCulture) * 1024 * 1024);
    var files = rest is ["real"]
        ? await writer.WriteRealShapeDayAsync(directory, PartitionDate.Parse(date), bytes, seed: 2024)
        : await writer.WriteDayAsync(directory, PartitionDate.Parse(date), bytes, seed: 2024);
    Console.WriteLine($"wrote {files.Count} files into {directory}");
    return 0;
}

BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
return 0;
