using System.Globalization;
using Amazon.S3.Model;
using KaggleStorage.Archival;
using KaggleStorage.Hosting;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.Layout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// What the S3 archive store relies on a server for, each pinned where it shows: Content-MD5 refused when wrong,
/// the 5 MiB minimum part size, aborted uploads, listings past one page, a server-side copy to publish, and refused
/// credentials. Against s3rver (lenient) the store's own checks must hold; against Ceph RGW (CI's second pass) the
/// server's refusals are asserted too.
/// </summary>
public sealed class S3ServerBehaviourTests : IClassFixture<S3Endpoint>, IDisposable
{
    private readonly S3Endpoint _s3;
    private readonly TempDirectory _temp = new();
    private readonly string _day = DateTime.UtcNow.AddDays(-3).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public S3ServerBehaviourTests(S3Endpoint s3) => _s3 = s3;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_part_whose_bytes_do_not_match_its_content_md5_fails_the_upload_and_publishes_nothing()
    {
        var (bucket, prefix) = await _s3.CreateBucketAsync();
        var root = await WriteDayAsync("store", 12 << 20);
        var before = Shell.HashTree(root);

        // The part's bytes change after the store computed their Content-MD5, as a bit flipped on the wire would.
        var (client, calls) = InterceptedS3.Wrap(_s3.CreateClient(), (name, args) =>
        {
            if (name == "UploadPartAsync" && args?[0] is UploadPartRequest { PartNumber: 2 } part)
            {
                var bytes = ((MemoryStream)part.InputStream).ToArray();
                bytes[bytes.Length / 2] ^= 0x01;
                part.InputStream = new MemoryStream(bytes);
            }
        });
        var outcome = await ArchiveAsync(root, bucket, prefix, client, partSizeMiB: 5);

        Assert.Equal("failed", outcome.Status);
        Assert.Empty(await _s3.ListKeysAsync(bucket, prefix));
        Assert.Empty(await _s3.ListUploadsAsync(bucket, prefix));
        Assert.Equal(before, Shell.HashTree(root));
        if (_s3.IsReal)
        {
            // A production server refuses the part itself; s3rver takes it, and the read-back check refuses the object.
            Assert.Contains("BadDigest", outcome.Error, StringComparison.Ordinal);
            Assert.Contains("do not match their Content-MD5", outcome.Error, StringComparison.Ordinal);
            Assert.Contains("AbortMultipartUploadAsync", calls.Calls);
            Assert.DoesNotContain("CompleteMultipartUploadAsync", calls.Calls);
        }
    }

    [Fact]
    public async Task A_part_size_below_5_mib_is_bad_configuration_at_start_because_servers_refuse_such_parts()
    {
        var (bucket, prefix) = await _s3.CreateBucketAsync();
        var root = await WriteDayAsync("store", 3 << 20);
        var environment = _s3.ToolEnvironment(bucket, prefix, _temp.Combine("home"));
        environment["KaggleStorage__Archive__S3__PartSizeMiB"] = "4";

        var archive = await ToolProcess.RunAsync(["--root", root, "archive", _day], environment);

        Assert.Equal(2, archive.ExitCode);
        Assert.Contains("KaggleStorage:Archive:S3:PartSizeMiB 4 must be between 5 and 512", archive.StdErr, StringComparison.Ordinal);
        Assert.Empty(await _s3.ListKeysAsync(bucket, prefix));
        if (_s3.IsReal)
        {
            // Why: past the validator, 1 MiB parts are refused by the server when the upload completes.
            var outcome = await ArchiveAsync(root, bucket, prefix, _s3.CreateClient(), partSizeMiB: 1);
            Assert.Equal("failed", outcome.Status);
            Assert.Contains("EntityTooSmall", outcome.Error, StringComparison.Ordinal);
            Assert.Empty(await _s3.ListKeysAsync(bucket, prefix));
            Assert.Empty(await _s3.ListUploadsAsync(bucket, prefix));
        }
    }

    [Fact]
    public async Task A_verified_archive_is_published_by_a_server_side_copy_and_reads_back_whole()
    {
        var (bucket, prefix) = await _s3.CreateBucketAsync();
        var root = await WriteDayAsync("store", 12 << 20);
        var (client, calls) = InterceptedS3.Wrap(_s3.CreateClient());

        var outcome = await ArchiveAsync(root, bucket, prefix, client, partSizeMiB: 5);
        var verify = await ToolProcess.RunAsync(["--root", root, "verify", _day], _s3.ToolEnvironment(bucket, prefix, _temp.Combine("home")));

        Assert.True(outcome.Status == "created", outcome.Error);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal([$"{prefix}{_day}.tar.gz", $"{prefix}{_day}.tar.gz.index.json"], await _s3.ListKeysAsync(bucket, prefix));
        Assert.Empty(await _s3.ListUploadsAsync(bucket, prefix));
        Assert.Contains("CopyObjectAsync", calls.Calls);
        if (_s3.IsReal)
        {
            // The copy is the publish: the object is not sent a second time.
            Assert.Equal(1, calls.Calls.Count(call => call == "InitiateMultipartUploadAsync"));
        }
    }

    [Fact]
    public async Task A_listing_of_more_than_1000_objects_under_the_prefix_is_complete()
    {
        if (!_s3.IsReal)
        {
            // s3rver answers the second page of a listing with HTTP 500; only a real server can show this.
            return;
        }

        var (bucket, prefix) = await _s3.CreateBucketAsync();
        var names = Enumerable.Range(0, 1_100).Select(i => $"stray-{i:D4}").ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) => await _s3.PutAsync(bucket, prefix + name, [1]));
        var store = new S3ArchiveStore(_s3.CreateClient(), Options(bucket, prefix, 5), NullLogger<S3ArchiveStore>.Instance);

        var listed = await store.ListAsync();

        Assert.Equal(names, listed.Select(o => o.Name));
    }

    [Fact]
    public async Task Credentials_the_server_refuses_are_one_line_exit_1_and_the_secret_is_never_printed()
    {
        var (bucket, prefix) = await _s3.CreateBucketAsync();
        var root = await WriteDayAsync("store", 64 << 10);
        var knownKey = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is { Length: > 0 } key && _s3.IsReal ? key : S3Endpoint.AccessKey;

        // s3rver checks the access key only; a real server checks the signature, so the secret too.
        var cases = new List<(string AccessKey, string Code)> { ("NOSUCHKEY" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), "InvalidAccessKeyId") };
        if (_s3.IsReal)
        {
            cases.Add((knownKey, "SignatureDoesNotMatch"));
        }

        foreach (var (accessKey, code) in cases)
        {
            var secret = "wrong-secret-" + Guid.NewGuid().ToString("N");
            var environment = _s3.ToolEnvironment(bucket, prefix, _temp.Combine("home"));
            environment["AWS_ACCESS_KEY_ID"] = accessKey;
            environment["AWS_SECRET_ACCESS_KEY"] = secret;

            var status = await ToolProcess.RunAsync(["--root", root, "status"], environment);
            var archive = await ToolProcess.RunAsync(["--root", root, "--verbose", "archive", _day], environment);

            foreach (var result in new[] { status, archive })
            {
                Assert.True(result.ExitCode == 1, result.ToString());
                Assert.DoesNotContain(secret, result.StdOut + result.StdErr, StringComparison.Ordinal);
            }

            Assert.Matches($@"^error: S3 answered HTTP 403 {code} while listing s3://\S+: the ", status.StdErr);
            Assert.Single(status.StdErr.Trim().Split('\n'));
        }

        Assert.Empty(await _s3.ListKeysAsync(bucket, prefix));
    }

    private async Task<string> WriteDayAsync(string name, int randomBytes)
    {
        var root = _temp.Combine(name);
        await SampleStore.WriteRawDayAsync(root, _day, 256 << 10);
        SampleStore.WriteProcessedDay(root, _day);

        // Random bytes do not compress, so the archive really spans parts of the size asked for.
        await File.WriteAllBytesAsync(Path.Combine(root, "processed", _day, "noise.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(randomBytes));
        return root;
    }

    private async Task<ArchiveOutcome> ArchiveAsync(string root, string bucket, string prefix, Amazon.S3.IAmazonS3 client, int partSizeMiB)
    {
        using var services = new ServiceCollection()
            .AddKaggleStorage(o => o.Root = root)
            .AddSingleton<IArchiveStore>(new S3ArchiveStore(client, Options(bucket, prefix, partSizeMiB), NullLogger<S3ArchiveStore>.Instance))
            .BuildServiceProvider();
        var archives = services.GetRequiredService<ArchiveService>();
        var result = await archives.ExecuteAsync(await archives.PlanAsync([PartitionDate.Parse(_day)]));
        return Assert.Single(result.Outcomes);
    }

    private S3ArchiveOptions Options(string bucket, string prefix, int partSizeMiB) =>
        new() { Bucket = bucket, Prefix = prefix, ServiceUrl = _s3.ServiceUrl, ForcePathStyle = _s3.PathStyle, PartSizeMiB = partSizeMiB };
}
