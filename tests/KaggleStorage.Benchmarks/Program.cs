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

// "inflate <root> <YYYYMMDD>" archives raw/YYYYMMDD of <root> into a temporary file with the archiver's writer and
// reads it back whole (every file hashed, as verify and restore do) twice in the same process: as one gzip stream,
// and block by block on every core with the block table the writer reported. Prints wall and CPU seconds of each.
if (args is ["inflate", var root, var day])
{
    var fileSystem = new System.IO.Abstractions.FileSystem();
    var contents = new KaggleStorage.IO.DayContentsReader(fileSystem).Read(Path.Combine(root, "raw", day));
    var archive = Path.Combine(Path.GetTempPath(), $"ks-inflate-{Environment.ProcessId}.tar.gz");
    try
    {
        IReadOnlyList<KaggleStorage.Archival.ArchiveBlock> blocks;
        var writeWall = System.Diagnostics.Stopwatch.StartNew();
        var writeCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        await using (var output = File.Create(archive))
        {
            blocks = (await KaggleStorage.Archival.ArchiveFormat.WriteDayAsync(
                fileSystem, [($"raw/{day}", contents)], KaggleStorage.Archival.ArchiveCarryOver.None, output, null, CancellationToken.None)).Blocks;
        }

        Console.WriteLine(FormattableString.Invariant(
            $"write {writeWall.Elapsed.TotalSeconds:0.00} {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - writeCpu).TotalSeconds:0.00} {new FileInfo(archive).Length} {blocks.Count} -"));

        foreach (var parallel in new[] { false, true, false, true })
        {
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            await using var hasher = new KaggleStorage.Archival.EntryHasher(CancellationToken.None);
            var (sha256, _) = await KaggleStorage.Archival.ArchiveFormat.ScanAsync(
                File.OpenRead(archive),
                archive,
                async (entry, _) => await KaggleStorage.Archival.ArchiveFormat.DescribeEntryAsync(entry, entry.Name, hasher, _ => { }, CancellationToken.None),
                CancellationToken.None,
                parallel ? blocks : null);
            await hasher.CompleteAsync();
            var used = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(FormattableString.Invariant(
                $"{(parallel ? "parallel" : "sequential")} {wall.Elapsed.TotalSeconds:0.00} {used.TotalSeconds:0.00} {new FileInfo(archive).Length} {blocks.Count} {sha256[..12]}"));
        }
    }
    finally
    {
        File.Delete(archive);
    }

    return 0;
}

// "levels <dir> [level...]" gzips every file of a folder with the parallel writer at each compression level (default
// 1 to 9): wall and CPU seconds and compressed bytes of each level, to weigh archive speed against a year of sizes.
// With one level (6) it is the compressor's own speed on that data.
if (args is ["levels", var folder, .. var levelArguments])
{
    var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray();
    var levels = levelArguments.Length > 0 ? levelArguments.Select(int.Parse).ToArray() : Enumerable.Range(1, 9).ToArray();
    var buffer = new byte[1 << 20];
    foreach (var level in levels)
    {
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var counted = new KaggleStorage.Archival.CountingWriteStream(Stream.Null);
        long input = 0;
        await using (var gzip = new KaggleStorage.Archival.ParallelGzipStream(counted, level))
        {
            foreach (var path in files)
            {
                await using var source = File.OpenRead(path);
                int read;
                while ((read = await source.ReadAsync(buffer)) > 0)
                {
                    await gzip.WriteAsync(buffer.AsMemory(0, read));
                    input += read;
                }
            }
        }

        Console.WriteLine(FormattableString.Invariant(
            $"level {level}: {wall.Elapsed.TotalSeconds:0.00} s wall {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s CPU {counted.BytesWritten} bytes ({100.0 * counted.BytesWritten / input:0.000} % of {input})"));
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
return 0;
