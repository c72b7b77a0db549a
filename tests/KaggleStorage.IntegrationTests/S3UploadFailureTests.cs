using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Reflection;
using Amazon.S3;
using Amazon.S3.Model;
using KaggleStorage.Archival;
using KaggleStorage.Hosting;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.Layout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// A multipart upload that fails halfway, against s3rver: the upload is aborted, nothing is published, and the raw
/// day is untouched. The failure is injected between the store and a real S3 client, on the second part.
/// </summary>
public sealed class S3UploadFailureTests : IClassFixture<S3Endpoint>, IDisposable
{
    private readonly S3Endpoint _s3;
    private readonly TempDirectory _temp = new();

    public S3UploadFailureTests(S3Endpoint s3) => _s3 = s3;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_part_that_fails_aborts_the_upload_and_publishes_nothing()
    {
        var (bucket, prefix) = await _s3.CreateBucketAsync();
        var root = _temp.Combine("store");
        var day = DateTime.UtcNow.AddDays(-3).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await SampleStore.WriteRawDayAsync(root, day, 1 << 20);
        SampleStore.WriteProcessedDay(root, day);
        await File.WriteAllTextAsync(
            Path.Combine(root, "processed", day, "noise.csv"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12 << 20)));
        var before = Shell.HashTree(root);
        var options = new S3ArchiveOptions { Bucket = bucket, Prefix = prefix, ServiceUrl = _s3.ServiceUrl, ForcePathStyle = _s3.PathStyle, PartSizeMiB = 5 };
        var calls = new ConcurrentQueue<string>();
        var client = FailingS3.Wrap(_s3.CreateClient(), calls);
        using var services = new ServiceCollection()
            .AddKaggleStorage(o => o.Root = root)
            .AddSingleton<IArchiveStore>(new S3ArchiveStore(client, options, NullLogger<S3ArchiveStore>.Instance))
            .BuildServiceProvider();

        var archives = services.GetRequiredService<ArchiveService>();
        var result = await archives.ExecuteAsync(await archives.PlanAsync([PartitionDate.Parse(day)]));

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal("failed", outcome.Status);
        Assert.Contains("uploading part 2", outcome.Error, StringComparison.Ordinal);
        Assert.Contains(calls, call => call.StartsWith("AbortMultipartUploadAsync", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, call => call.StartsWith("CompleteMultipartUploadAsync", StringComparison.Ordinal));
        Assert.Empty(await _s3.ListKeysAsync(bucket, prefix));
        Assert.Equal(before, Shell.HashTree(root));
    }

    [Fact]
    public async Task A_staged_object_left_by_a_killed_run_is_removed_by_the_next_one()
    {
        var (bucket, prefix) = await _s3.CreateBucketAsync();
        var root = _temp.Combine("store2");
        var day = DateTime.UtcNow.AddDays(-3).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await SampleStore.WriteRawDayAsync(root, day, 256 << 10);
        await _s3.PutAsync(bucket, $"{prefix}.staging/0123456789abcdef-{day}.tar.gz", [1, 2, 3]);

        var archive = await ToolProcess.RunAsync(["--root", root, "archive", day], _s3.ToolEnvironment(bucket, prefix, _temp.Combine("home")));

        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.Contains("Removed 1 unfinished upload(s) or staged object(s)", archive.StdErr, StringComparison.Ordinal);
        Assert.Equal([$"{prefix}{day}.tar.gz", $"{prefix}{day}.tar.gz.index.json"], await _s3.ListKeysAsync(bucket, prefix));
    }

    /// <summary>Forwards every call to a real client, except that part 2 of an upload fails as a server error would.</summary>
    public class FailingS3 : DispatchProxy
    {
        private IAmazonS3 _inner = null!;
        private ConcurrentQueue<string> _calls = null!;

        public static IAmazonS3 Wrap(IAmazonS3 inner, ConcurrentQueue<string> calls)
        {
            var proxy = Create<IAmazonS3, FailingS3>();
            var failing = (FailingS3)(object)proxy;
            (failing._inner, failing._calls) = (inner, calls);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            _calls.Enqueue(targetMethod!.Name);
            if (targetMethod.Name == nameof(IAmazonS3.UploadPartAsync) && args?[0] is UploadPartRequest { PartNumber: 2 })
            {
                return Task.FromException<UploadPartResponse>(
                    new AmazonS3Exception("We encountered an internal error. Please try again.", Amazon.Runtime.ErrorType.Receiver, "InternalError", "injected", HttpStatusCode.InternalServerError));
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                throw exception.InnerException;
            }
        }
    }
}
