using System.Globalization;
using System.Text.Json;
using Amazon.S3.Model;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// What a run killed mid-upload leaves in the bucket — an object under <c>&lt;prefix&gt;.staging/</c> and, on a server
/// that keeps them, an open multipart upload with parts in it — is listed by <c>status</c> as a leftover (with its
/// size and when it began) and removed by the next locked run, which says so.
/// </summary>
public sealed class S3LeftoverTests : IClassFixture<S3Endpoint>, IDisposable
{
    private readonly S3Endpoint _s3;
    private readonly TempDirectory _temp = new();

    public S3LeftoverTests(S3Endpoint s3) => _s3 = s3;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Status_lists_the_staged_object_and_open_upload_a_killed_run_left_and_the_next_archive_removes_them()
    {
        var (bucket, prefix) = await _s3.CreateBucketAsync();
        var root = _temp.Combine("store");
        var day = DateTime.UtcNow.AddDays(-3).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await SampleStore.WriteRawDayAsync(root, day, 256 << 10);
        var stagedKey = $"{prefix}.staging/0123456789abcdef0123456789abcdef-{day}.tar.gz";
        await _s3.PutAsync(bucket, stagedKey, new byte[3000]);
        var uploadKey = $"{prefix}.staging/fedcba9876543210fedcba9876543210-{day}.tar.gz";
        var uploadId = await _s3.StartUploadWithOnePartAsync(bucket, uploadKey, 5 << 20);
        var uploadsListed = (await _s3.ListUploadsAsync(bucket, prefix)).Count > 0;
        Assert.True(uploadsListed || !_s3.IsReal, "a production server lists the upload just begun");
        var environment = _s3.ToolEnvironment(bucket, prefix, _temp.Combine("home"));

        var json = await ToolProcess.RunAsync(["--root", root, "status", "--json"], environment);
        var text = await ToolProcess.RunAsync(["--root", root, "status"], environment);
        var archive = await ToolProcess.RunAsync(["--root", root, "archive", day], environment);

        Assert.True(json.ExitCode == 0, json.ToString());
        using (var document = JsonDocument.Parse(json.StdOut))
        {
            var leftovers = document.RootElement.GetProperty("leftovers").EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!);
            var staged = leftovers[$"s3://{bucket}/{stagedKey}"];
            Assert.Equal(3000, staged.GetProperty("bytes").GetInt64());
            Assert.True(staged.GetProperty("startedAtUtc").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1), json.StdOut);
            if (uploadsListed)
            {
                var upload = leftovers[$"s3://{bucket}/{uploadKey}"];
                Assert.Equal(uploadId, upload.GetProperty("uploadId").GetString());
                Assert.Equal(5 << 20, upload.GetProperty("bytes").GetInt64());
                Assert.True(upload.GetProperty("startedAtUtc").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1), json.StdOut);
            }
        }

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"  s3://{bucket}/{stagedKey} (2.9 KiB, begun ", text.StdOut, StringComparison.Ordinal);
        if (uploadsListed)
        {
            Assert.Contains($"  s3://{bucket}/{uploadKey} (unfinished upload, 5.0 MiB, begun ", text.StdOut, StringComparison.Ordinal);
        }

        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.Contains($"Removed {(uploadsListed ? 2 : 1)} unfinished upload(s) or staged object(s)", archive.StdErr, StringComparison.Ordinal);
        Assert.Empty(await _s3.ListUploadsAsync(bucket, prefix));
        Assert.Equal([$"{prefix}{day}.tar.gz", $"{prefix}{day}.tar.gz.index.json"], await _s3.ListKeysAsync(bucket, prefix));
        var after = await ToolProcess.RunAsync(["--root", root, "status", "--json"], environment);
        using (var document = JsonDocument.Parse(after.StdOut))
        {
            Assert.Empty(document.RootElement.GetProperty("leftovers").EnumerateArray());
        }
    }

    [Fact]
    public async Task Prune_removes_what_a_killed_run_left_in_the_bucket_and_says_so()
    {
        var (bucket, prefix) = await _s3.CreateBucketAsync();
        var root = _temp.Combine("pruned");
        var day = DateTime.UtcNow.AddDays(-3).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await SampleStore.WriteRawDayAsync(root, day, 64 << 10);
        await _s3.PutAsync(bucket, $"{prefix}.staging/0123456789abcdef0123456789abcdef-{day}.tar.gz", [1, 2, 3]);

        var prune = await ToolProcess.RunAsync(["--root", root, "prune"], _s3.ToolEnvironment(bucket, prefix, _temp.Combine("home")));

        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.Contains($"Removed 1 unfinished upload(s) or staged object(s) that an earlier run left in s3://{bucket}/{prefix}", prune.StdErr, StringComparison.Ordinal);
        Assert.Empty(await _s3.ListKeysAsync(bucket, prefix));
    }

}
