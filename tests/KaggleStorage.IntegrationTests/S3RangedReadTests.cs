using System.Globalization;
using KaggleStorage.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// <c>cat</c> of one file of a day archived in a bucket, against s3rver (and Ceph RGW in CI) through a relay that
/// counts what the server sends: only the blocks that hold the file are fetched, and the bytes are the source's.
/// </summary>
public sealed class S3RangedReadTests : IClassFixture<S3Endpoint>, IAsyncLifetime, IDisposable
{
    private readonly S3Endpoint _s3;
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string _day;
    private string _bucket = null!;
    private string _prefix = null!;

    private readonly ITestOutputHelper _output;

    public S3RangedReadTests(S3Endpoint s3, ITestOutputHelper output)
    {
        _s3 = s3;
        _output = output;
        _root = _temp.Combine("store");
        Directory.CreateDirectory(_root);
        _day = DateTime.UtcNow.AddDays(-10).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    }

    public async Task InitializeAsync()
    {
        (_bucket, _prefix) = await _s3.CreateBucketAsync();

        // Random text compresses little, so the object is many blocks and many megabytes, like a real day's; the small
        // file sorts first, so it shares its block with the start of the big one and that whole block is fetched.
        var raw = Path.Combine(_root, "raw", _day);
        Directory.CreateDirectory(raw);
        var random = new Random(3);
        var noise = new byte[24 << 20];
        random.NextBytes(noise);
        await File.WriteAllTextAsync(Path.Combine(raw, "big.csv"), "n\n" + Convert.ToBase64String(noise) + "\n");
        await File.WriteAllTextAsync(Path.Combine(raw, "a_small.csv"), "chain,price\n7290027600007,12.90\n");
        SampleStore.WriteProcessedDay(_root, _day);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Cat_of_one_small_file_fetches_far_less_than_the_object_and_gives_its_bytes()
    {
        if (_s3.ServiceUrl.Scheme != Uri.UriSchemeHttp || !_s3.ServiceUrl.IsLoopback)
        {
            // The relay speaks plain TCP on loopback: to s3rver, and to Ceph RGW as CI runs it. A remote endpoint is
            // reached over TLS by name, which a byte-counting relay cannot stand in for.
            return;
        }

        var environment = _s3.ToolEnvironment(_bucket, _prefix, _temp.Combine("home"));
        var archive = await ToolProcess.RunAsync(["--root", _root, "archive", _day], environment);
        Assert.True(archive.ExitCode == 0, archive.ToString());
        var objectBytes = (await _s3.GetAsync(_bucket, $"{_prefix}{_day}.tar.gz")).Length;
        var small = await File.ReadAllBytesAsync(Path.Combine(_root, "raw", _day, "a_small.csv"));
        var big = await File.ReadAllBytesAsync(Path.Combine(_root, "raw", _day, "big.csv"));
        Directory.Delete(Path.Combine(_root, "raw", _day), recursive: true);

        await using var relay = new CountingRelay(_s3.ServiceUrl);
        environment["KaggleStorage__Archive__S3__ServiceUrl"] = relay.Url.ToString();
        var cat = await CatProcess.RunAsync(_root, _day, "a_small.csv", environment);
        var fetched = relay.BytesFromServer;
        _output.WriteLine($"cat of a {small.Length}-byte file fetched {fetched} bytes of a {objectBytes}-byte object");

        Assert.True(cat.ExitCode == 0, cat.StdErr);
        Assert.Equal(small, cat.Bytes);
        Assert.True(objectBytes > 16 << 20, $"the object is {objectBytes} bytes; the test needs a many-block archive");
        Assert.True(fetched < (2 << 20) + objectBytes / 10, $"cat of one small file fetched {fetched} bytes of a {objectBytes}-byte object");

        // The big file's bytes come back whole too, through every block it spans.
        var whole = await CatProcess.RunAsync(_root, _day, "big.csv", environment);
        Assert.True(whole.ExitCode == 0, whole.StdErr);
        Assert.True(big.AsSpan().SequenceEqual(whole.Bytes), "cat of the big file from the bucket gave other bytes");
    }
}
