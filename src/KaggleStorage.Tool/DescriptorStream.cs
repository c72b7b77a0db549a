using System.Runtime.InteropServices;

namespace KaggleStorage.Tool;

/// <summary>
/// A write-only stream straight on a standard file descriptor with plain <c>write(2)</c>. A <see cref="FileStream"/>
/// on the same descriptor keeps its own position and writes with <c>pwrite</c>, so the shared file offset never
/// moves: <c>&gt; f 2&gt;&amp;1</c> overwrote one stream with the other and <c>{ echo A; tool; echo B; } &gt; f</c> lost
/// the tool's lines under B. System.Console writes plainly but first sends the terminal's keypad-mode sequence
/// into the output when stdin is a terminal, and swallows a closed pipe so the command runs on for nobody.
/// </summary>
internal sealed partial class DescriptorStream(int descriptor) : Stream
{
    private const int Interrupted = 4;
    private const int TryAgain = 11;
    private const int BrokenPipe = 32;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <exception cref="OutputClosedException">The reader of the pipe has gone.</exception>
    /// <exception cref="IOException">The write failed otherwise.</exception>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var written = (long)WriteNative(descriptor, buffer, buffer.Length);
            if (written >= 0)
            {
                buffer = buffer[(int)written..];
                continue;
            }

            var error = Marshal.GetLastPInvokeError();
            switch (error)
            {
                case Interrupted:
                    continue;
                case TryAgain:
                    // A descriptor someone left non-blocking: wait for room rather than drop output.
                    Thread.Sleep(1);
                    continue;
                case BrokenPipe:
                    throw new OutputClosedException(descriptor);
                default:
                    throw new IOException($"Could not write to {(descriptor == 1 ? "stdout" : "stderr")}: {Marshal.GetPInvokeErrorMessage(error)}.");
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Standard streams are written in whole lines by one command at a time; a blocking write is what write(2) is.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteNative(int descriptor, ReadOnlySpan<byte> buffer, nint count);
}
