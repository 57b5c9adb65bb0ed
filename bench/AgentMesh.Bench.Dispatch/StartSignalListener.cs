using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace AgentMesh.Bench.Dispatch;

/// <summary>
/// A loopback TCP listener the fake agent connects to the moment it starts. The timestamp is taken when the
/// connection is accepted, before anything is read, so the agent's own later work never counts; the line it
/// then writes (the sample's marker, read from its prompt) only tells which sample started.
/// </summary>
internal sealed class StartSignalListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<StartSignal> _signals = Channel.CreateUnbounded<StartSignal>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public StartSignalListener()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Waits for the agent whose marker is <paramref name="marker"/>; signals of other samples are an error.</summary>
    public async Task<long> WaitForAsync(string marker, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var signal = await _signals.Reader.ReadAsync(deadline.Token);
            return signal.Marker == marker
                ? signal.Timestamp
                : throw new InvalidOperationException($"Expected the agent of {marker} to start, but {signal.Marker} did.");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The agent of {marker} did not start within {timeout}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        _stopping.Dispose();
        _listener.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            var accepted = Stopwatch.GetTimestamp();
            _ = ReadMarkerAsync(client, accepted);
        }
    }

    private async Task ReadMarkerAsync(TcpClient client, long accepted)
    {
        string marker;
        using (client)
        {
            try
            {
                using var reader = new StreamReader(client.GetStream());
                marker = (await reader.ReadLineAsync(_stopping.Token))?.Trim() ?? "";
            }
            catch (IOException ex)
            {
                // Still a start; the waiting sample reports the mismatch instead of hanging.
                marker = $"(no marker: {ex.Message})";
            }
        }
        _signals.Writer.TryWrite(new StartSignal(marker, accepted));
    }

    private sealed record StartSignal(string Marker, long Timestamp);
}
