using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.IO;
using KaggleStorage.Layout;

namespace KaggleStorage.IntegrationTests;

/// <summary>Restore's extraction through the parallel inflater, on real archives written to disk by the archiver's writer.</summary>
public sealed class ParallelInflateTests : IDisposable
{
    private const string Day = "20241026";
    private readonly TempDirectory _temp = new();
    private readonly FileSystem _fileSystem = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(64 << 10)]
    [InlineData(6 << 20)]
    public async Task Extracting_with_the_block_table_gives_the_same_files_as_gnu_tar(int bytes)
    {
        var (archive, blocks, raw) = await WriteArchiveAsync(bytes);
        var staging = _temp.Combine("staging");
        var gnu = _temp.Combine("gnu");
        Directory.CreateDirectory(gnu);

        var contents = await Extract(archive, staging, blocks);
        var tar = await Shell.RunAsync("tar", "xzf", archive, "-C", gnu);

        Assert.Equal(0, tar.ExitCode);
        Assert.Equal(Shell.HashTree(Path.Combine(gnu, "raw", Day)), Shell.HashTree(Path.Combine(staging, "raw", Day)));
        Assert.Equal(Shell.HashTree(raw).Count, contents.Files.Count(file => file.Key.StartsWith("raw/", StringComparison.Ordinal)));
        Assert.Equal(Shell.HashTree(raw), Shell.HashTree(Path.Combine(staging, "raw", Day)));
    }

    [Fact]
    public async Task A_block_table_of_another_archive_is_refused_as_damage()
    {
        var (archive, _, _) = await WriteArchiveAsync(6 << 20, seed: 1);
        var (_, otherBlocks, _) = await WriteArchiveAsync(6 << 20, seed: 2, name: "other");

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => Extract(archive, _temp.Combine("staging"), otherBlocks));

        Assert.Contains(archive, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tar_header_damaged_inside_an_intact_block_is_still_caught()
    {
        var (archive, blocks, _) = await WriteArchiveAsync(6 << 20);

        // Rewrite the archive with one tar header's name changed but its checksum kept: every block and the gzip
        // trailer are then consistent, so only the tar header check can tell.
        var tar = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(archive), System.IO.Compression.CompressionMode.Decompress))
        {
            await gzip.CopyToAsync(tar);
        }

        var bytes = tar.ToArray();
        bytes[0] ^= 0x01;
        var damaged = _temp.Combine("damaged.tar.gz");
        IReadOnlyList<ArchiveBlock> damagedBlocks;
        await using (var output = File.Create(damaged))
        {
            var gzip = new ParallelGzipStream(output);
            await gzip.WriteAsync(bytes);
            await gzip.CompleteAsync();
            damagedBlocks = gzip.Blocks;
            await gzip.DisposeAsync();
        }

        Assert.Equal(blocks.Count, damagedBlocks.Count);
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => Extract(damaged, _temp.Combine("staging"), damagedBlocks));
        Assert.Contains("tar header 1", refused.Message, StringComparison.Ordinal);
    }

    private Task<ArchiveContents> Extract(string archive, string staging, IReadOnlyList<ArchiveBlock> blocks) =>
        new SafeArchiveExtractor(_fileSystem).ExtractAsync(
            File.OpenRead(archive), archive, PartitionDate.Parse(Day), staging, long.MaxValue, "no limit", CancellationToken.None, blocks);

    private async Task<(string Archive, IReadOnlyList<ArchiveBlock> Blocks, string Raw)> WriteArchiveAsync(long bytes, int seed = 1, string name = "store")
    {
        var root = _temp.Combine(name);
        var raw = Path.Combine(root, "raw", Day);
        if (bytes > 0)
        {
            await SampleStore.WriteRawDayAsync(root, Day, bytes, seed);
        }
        else
        {
            Directory.CreateDirectory(raw);
            await File.WriteAllBytesAsync(Path.Combine(raw, "empty.csv"), []);
        }

        var archive = _temp.Combine($"{name}.tar.gz");
        var days = new List<(string, DayContents)> { ($"raw/{Day}", new DayContentsReader(_fileSystem).Read(raw)) };
        await using var output = File.Create(archive);
        var written = await ArchiveFormat.WriteDayAsync(_fileSystem, days, ArchiveCarryOver.None, output, null, CancellationToken.None);
        return (archive, written.Blocks, raw);
    }
}
