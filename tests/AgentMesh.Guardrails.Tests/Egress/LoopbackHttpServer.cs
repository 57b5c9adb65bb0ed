using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentMesh.Guardrails.Tests.Egress;

/// <summary>A one-response-per-connection HTTP server on loopback that answers with its name and remembers every request head.</summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer(string name)
    {
        Name = name;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public string Name { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The head of every request received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            using (client)
            {
                try
                {
                    await AnswerAsync(client.GetStream());
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                    // The client went away before its answer (a tunnel closed by a stopping proxy), or the server is stopping.
                }
            }
        }
    }

    private async Task AnswerAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }
            head.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
        Requests.Enqueue(head.ToString());
        var body = Encoding.UTF8.GetBytes($"hello from {Name}");
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), _stop.Token);
        await stream.WriteAsync(body, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
