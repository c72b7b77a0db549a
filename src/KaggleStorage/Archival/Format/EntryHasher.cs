using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace KaggleStorage.Archival;

/// <summary>
/// Hashes (and optionally writes) the files of a tar stream on a task of its own, so the thread that parses the tar
/// only copies each file's bytes into pooled chunks and goes on reading; SHA-256 and the disk no longer set the pace
/// of a scan. Files are hashed one after another in the order fed, and at most a fixed number of chunks wait between
/// the two sides, so memory stays flat however large a file is.
/// </summary>
/// <remarks>
/// A file counts only once it has been fed to its end: a scan that stops inside a file (damage, a refused entry, a
/// budget) leaves that file without a result. <see cref="CompleteAsync"/> must be awaited before the results are
/// read; disposing without it abandons what is still queued and closes any file being written.
/// </remarks>
internal sealed class EntryHasher : IAsyncDisposable
{
    private const int ChunkSize = 1 << 18;
    private const int ChunksInFlight = 8;

    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(
        new BoundedChannelOptions(ChunksInFlight) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _abandon;
    private readonly Task _consumer;
    private bool _completed;

    public EntryHasher(CancellationToken cancellationToken)
    {
        _abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _consumer = Task.Run(() => ConsumeAsync(_abandon.Token), CancellationToken.None);
    }

    /// <summary>
    /// Reads <paramref name="data"/> to its end on the calling thread. Each chunk is shown to
    /// <paramref name="onChunk"/> first (which may throw to stop before the chunk is hashed or written), then queued to
    /// be hashed and written to <paramref name="output"/>, which the hashing side owns and disposes once the file is
    /// whole; then <paramref name="onHashed"/> runs there with the file's SHA-256 and size.
    /// </summary>
    public async Task FeedAsync(
        Stream? data, Stream? output, Action<ReadOnlyMemory<byte>>? onChunk, Action<string, long> onHashed, CancellationToken cancellationToken)
    {
        try
        {
            await EnqueueAsync(new Item(ItemKind.Start, null, 0, output, null), cancellationToken);
        }
        catch
        {
            if (output is not null)
            {
                await output.DisposeAsync();
            }

            throw;
        }

        if (data is not null)
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                var length = 0;
                int read;
                while (length < ChunkSize && (read = await data.ReadAsync(buffer.AsMemory(length, ChunkSize - length), cancellationToken)) > 0)
                {
                    length += read;
                }

                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                try
                {
                    onChunk?.Invoke(buffer.AsMemory(0, length));
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                await EnqueueAsync(new Item(ItemKind.Chunk, buffer, length, null, null), cancellationToken);
                if (length < ChunkSize)
                {
                    break;
                }
            }
        }

        await EnqueueAsync(new Item(ItemKind.End, null, 0, null, onHashed), cancellationToken);
    }

    /// <summary>Waits until every file fed to its end is hashed, written and reported; a failure there is thrown here.</summary>
    public async Task CompleteAsync()
    {
        _completed = true;
        _queue.Writer.TryComplete();
        await _consumer;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed || !_consumer.IsCompleted)
        {
            await _abandon.CancelAsync();
            _queue.Writer.TryComplete();
            try
            {
                await _consumer;
            }
            catch (Exception)
            {
                // Abandoned: whatever stopped the scan is what the caller reports.
            }
        }

        _abandon.Dispose();
    }

    private async ValueTask EnqueueAsync(Item item, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            if (item.Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(item.Buffer);
            }

            // The hashing side stopped on a failure of its own (a disk error, say); that failure is the reason to tell.
            await _consumer;
            throw;
        }
    }

    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Stream? output = null;
        long size = 0;
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                switch (item.Kind)
                {
                    case ItemKind.Start:
                        // A file the scan stopped inside never gets its end; nothing of it may leak into the next.
                        hash.GetHashAndReset();
                        size = 0;
                        if (output is not null)
                        {
                            await output.DisposeAsync();
                        }

                        output = item.Output;
                        break;
                    case ItemKind.Chunk:
                        try
                        {
                            hash.AppendData(item.Buffer!, 0, item.Length);
                            if (output is not null)
                            {
                                await output.WriteAsync(item.Buffer.AsMemory(0, item.Length), cancellationToken);
                            }

                            size += item.Length;
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(item.Buffer!);
                        }

                        break;
                    default:
                        if (output is not null)
                        {
                            // Closed before it is reported, so the caller may set its time and mode.
                            var closing = output;
                            output = null;
                            await closing.DisposeAsync();
                        }

                        item.OnHashed!(Convert.ToHexStringLower(hash.GetHashAndReset()), size);
                        size = 0;
                        break;
                }
            }
        }
        catch
        {
            // The reading side learns of the failure at its next chunk; what is queued is released here.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                if (left.Buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(left.Buffer);
                }

                if (left.Output is not null)
                {
                    await left.Output.DisposeAsync();
                }
            }

            throw;
        }
        finally
        {
            if (output is not null)
            {
                await output.DisposeAsync();
            }
        }
    }

    private enum ItemKind
    {
        Start,
        Chunk,
        End,
    }

    private readonly record struct Item(ItemKind Kind, byte[]? Buffer, int Length, Stream? Output, Action<string, long>? OnHashed);
}
