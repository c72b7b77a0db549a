using System.Security.Cryptography;
using KaggleStorage.Archival;

namespace KaggleStorage.Tests.Archival;

public sealed class EntryHasherTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ks-hasher-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Hashes_and_writes_each_file_whole_in_the_order_fed_and_closes_it_before_reporting()
    {
        // Sizes around and well past one chunk, so files span many queued chunks and the queue fills.
        var inputs = new[] { 0, 1, (1 << 18) - 1, 1 << 18, (5 << 20) + 12345, 77 }.Select(Bytes).ToList();
        var reported = new List<(string Path, string Sha256, long Size, byte[] OnDisk)>();
        await using (var hasher = new EntryHasher(CancellationToken.None))
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var path = Path.Combine(_folder, $"f{i}");
                await hasher.FeedAsync(
                    new MemoryStream(inputs[i]),
                    new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true),
                    onChunk: null,
                    (sha256, size) =>
                    {
                        // Opening it alone succeeds only once the writer has closed it.
                        using var check = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                        var onDisk = new byte[check.Length];
                        check.ReadExactly(onDisk);
                        reported.Add((path, sha256, size, onDisk));
                    },
                    CancellationToken.None);
            }

            await hasher.CompleteAsync();
        }

        Assert.Equal(inputs.Count, reported.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(Path.Combine(_folder, $"f{i}"), reported[i].Path);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(inputs[i])), reported[i].Sha256);
            Assert.Equal(inputs[i].Length, reported[i].Size);
            Assert.Equal(inputs[i], reported[i].OnDisk);
        }
    }

    [Fact]
    public async Task A_file_the_reader_stops_inside_gets_no_result_and_the_files_before_it_keep_theirs()
    {
        var whole = Bytes(3 << 20);
        var results = new List<string>();
        await using var hasher = new EntryHasher(CancellationToken.None);
        await hasher.FeedAsync(new MemoryStream(whole), null, null, (sha256, _) => results.Add(sha256), CancellationToken.None);

        var stop = await Assert.ThrowsAsync<InvalidDataException>(() => hasher.FeedAsync(
            new MemoryStream(Bytes(2 << 20)),
            null,
            _ => throw new InvalidDataException("damaged here"),
            (sha256, _) => results.Add(sha256),
            CancellationToken.None));
        await hasher.CompleteAsync();

        Assert.Equal("damaged here", stop.Message);
        Assert.Equal([Convert.ToHexStringLower(SHA256.HashData(whole))], results);
    }

    [Fact]
    public async Task A_write_that_fails_on_the_hashing_side_is_thrown_to_the_reader_as_itself()
    {
        // /dev/full fails every write with "no space left", as a full disk would.
        if (!File.Exists("/dev/full"))
        {
            return;
        }

        await using var hasher = new EntryHasher(CancellationToken.None);

        // Far more chunks than the queue holds, so the reader is waiting on a full queue when the write fails.
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await hasher.FeedAsync(
                new MemoryStream(Bytes(8 << 20)),
                new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, useAsync: true),
                null,
                (_, _) => { },
                CancellationToken.None);
            await hasher.CompleteAsync();
        });

        Assert.IsType<IOException>(failure);
    }

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
