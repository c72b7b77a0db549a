using System.IO.Abstractions;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.IO;

namespace KaggleStorage.IntegrationTests;

/// <summary>A staged file flushed early (while the archiver reads it back) still publishes, or vanishes, as any other.</summary>
public sealed class StagedFileFlushTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileSystem _fileSystem = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_file_flushed_early_publishes_whole_under_its_final_name()
    {
        var staged = new StagedFile(_fileSystem, _temp.Combine(".staging", "a.tar.gz"), () => { });
        var bytes = new byte[3 << 20];
        new Random(3).NextBytes(bytes);
        await using (var stream = staged.OpenWrite())
        {
            await stream.WriteAsync(bytes);
        }

        staged.StartFlush();
        await staged.PublishAsync(_temp.Combine("archive", "a.tar.gz"), overwrite: false);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(_temp.Combine("archive", "a.tar.gz")));
        Assert.False(File.Exists(staged.Path));
    }

    [Fact]
    public async Task A_file_flushed_early_but_not_published_is_removed()
    {
        var staged = new StagedFile(_fileSystem, _temp.Combine(".staging", "b.tar.gz"), () => { });
        await using (var stream = staged.OpenWrite())
        {
            await stream.WriteAsync(new byte[1 << 20]);
        }

        staged.StartFlush();
        await staged.DisposeAsync();

        Assert.False(File.Exists(staged.Path));
        Assert.Throws<ObjectDisposedException>(staged.StartFlush);
    }

    [Fact]
    public async Task Publishing_refuses_when_the_lock_was_lost_even_after_an_early_flush()
    {
        var staged = new StagedFile(_fileSystem, _temp.Combine(".staging", "c.tar.gz"), () => throw new IOException("lock lost"));
        await using (var stream = staged.OpenWrite())
        {
            await stream.WriteAsync(new byte[1024]);
        }

        staged.StartFlush();

        await Assert.ThrowsAsync<IOException>(() => staged.PublishAsync(_temp.Combine("archive", "c.tar.gz"), overwrite: false));
        Assert.False(File.Exists(_temp.Combine("archive", "c.tar.gz")));
        staged.Dispose();
    }
}
