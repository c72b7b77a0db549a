using System.Net;
using System.Net.Sockets;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP relay on loopback in front of a server that counts every byte the server sends back (headers included), so
/// a test sees what a client really fetched rather than what it says it asked for.
/// </summary>
public sealed class CountingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _fromServer;

    public CountingRelay(Uri target)
    {
        _target = target;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    /// <summary>Where clients connect instead of the server.</summary>
    public Uri Url { get; }

    /// <summary>Bytes the server sent through the relay so far.</summary>
    public long BytesFromServer => Interlocked.Read(ref _fromServer);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop with one of these.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                var toServer = Pump(client.GetStream(), server.GetStream(), count: false);
                var toClient = Pump(server.GetStream(), client.GetStream(), count: true);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A connection the client or the server closed.
            }
        }
    }

    private async Task Pump(Stream from, Stream to, bool count)
    {
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (count)
            {
                Interlocked.Add(ref _fromServer, read);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }
}
