using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace AgentMesh.Bench.Dispatch;

/// <summary>
/// A loopback TCP listener the fake agent's script connects to first. The line it writes names its sample (the
/// marker read from its prompt) and, from the dispatch bench's agent, the moment its process started, taken by
/// the process itself (<see cref="FakeAgentProgram"/>). The connection's own timestamp is taken when it is
/// accepted, before anything is read: the script's first act, after bash's start-up.
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
    public async Task<StartSignal> WaitForAsync(string marker, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var signal = await _signals.Reader.ReadAsync(deadline.Token);
            return signal.Marker == marker
                ? signal
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
        string line;
        using (client)
        {
            try
            {
                using var reader = new StreamReader(client.GetStream());
                line = (await reader.ReadLineAsync(_stopping.Token))?.Trim() ?? "";
            }
            catch (IOException ex)
            {
                // Still a start; the waiting sample reports the mismatch instead of hanging.
                line = $"(no marker: {ex.Message})";
            }
        }
        var parts = line.Split(' ', 2);
        long? processStarted = parts.Length == 2 && long.TryParse(parts[1], out var stamp) ? stamp : null;
        _signals.Writer.TryWrite(new StartSignal(parts[0], accepted, processStarted));
    }
}

/// <summary>
/// One agent's start, in <see cref="Stopwatch"/> ticks: <paramref name="FirstLine"/> when its script connected,
/// <paramref name="ProcessStarted"/> when its process started running its own code (null from an agent that does not tell).
/// </summary>
internal sealed record StartSignal(string Marker, long FirstLine, long? ProcessStarted)
{
    /// <summary>The process's own start; an error when the agent did not report it.</summary>
    public long RequireProcessStarted() =>
        ProcessStarted ?? throw new InvalidOperationException($"The agent of {Marker} did not report its process start ({FakeAgentProgram.StartedVariable}).");
}
