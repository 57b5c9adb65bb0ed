using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentMesh.Guardrails.Egress;

/// <summary>
/// A small forward proxy (HTTP CONNECT tunnels and plain HTTP) that lets agents reach only allowlisted hosts.
/// It listens on loopback and, optionally, on a unix socket that a network-less sandbox can reach. Every request
/// is reported through the callback before it is answered, so a job log shows a blocked connection no later than
/// the agent sees the refusal. The proxy resolves names itself (a sandbox needs no DNS), and never connects to
/// link-local addresses (cloud metadata endpoints such as 169.254.169.254) unless the entry names the address.
/// </summary>
public sealed class EgressProxy : IAsyncDisposable
{
    private readonly EgressProxyOptions _options;
    private readonly Action<EgressEvent> _report;
    private readonly TimeProvider _time;
    private readonly List<Socket> _listeners = [];
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _acceptLoops = [];
    private int _open;

    private EgressProxy(EgressProxyOptions options, Action<EgressEvent> report, TimeProvider time)
    {
        _options = options;
        _report = report;
        _time = time;
    }

    /// <summary>The loopback endpoint (null when <see cref="EgressProxyOptions.ListenOnLoopback"/> is false).</summary>
    public IPEndPoint? TcpEndpoint { get; private set; }

    /// <summary>The proxy URL for <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c> on this host (null without a TCP listener).</summary>
    public Uri? ProxyUri => TcpEndpoint is { } endpoint ? new Uri($"http://{endpoint}") : null;

    /// <summary>The unix socket the proxy listens on, or null.</summary>
    public string? UnixSocketPath => _options.UnixSocketPath;

    /// <summary>Starts listening. <paramref name="report"/> receives every decision (it must be quick and must not throw).</summary>
    public static EgressProxy Start(EgressProxyOptions options, Action<EgressEvent> report, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        var proxy = new EgressProxy(options, report, time ?? TimeProvider.System);
        try
        {
            proxy.Listen();
        }
        catch
        {
            proxy.CloseListeners();
            throw;
        }
        return proxy;
    }

    private void Listen()
    {
        if (_options.ListenOnLoopback)
        {
            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listeners.Add(tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            tcp.Listen(512);
            TcpEndpoint = (IPEndPoint)tcp.LocalEndPoint!;
        }
        if (_options.UnixSocketPath is { } path)
        {
            // A socket file left by a crashed node would make bind fail; nothing else lives at a path we own.
            File.Delete(path);
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            _listeners.Add(unix);
            unix.Bind(new UnixDomainSocketEndPoint(path));
            unix.Listen(512);
        }
        foreach (var listener in _listeners)
        {
            _acceptLoops.Add(AcceptLoopAsync(listener));
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var connection = HandleAsync(client);
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(Socket client)
    {
        var open = Interlocked.Increment(ref _open);
        try
        {
            await HandleAsync(client, open).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task HandleAsync(Socket client, int open)
    {
        using var clientSocket = client;
        await using var clientStream = new NetworkStream(client, ownsSocket: false);
        try
        {
            using var headTimeout = new CancellationTokenSource(_options.HeaderTimeout, _time);
            using var headToken = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, headTimeout.Token);
            var (head, rest) = await ProxyRequestHead.ReadAsync(clientStream, _options.MaxHeadBytes, headToken.Token).ConfigureAwait(false);
            if (head is null)
            {
                await RespondAsync(clientStream, 400, "Bad Request", "AgentMesh egress proxy: not a proxy request.").ConfigureAwait(false);
                return;
            }
            if (open > _options.MaxConnections)
            {
                // Each tunnel holds two sockets on the node: a runaway agent must not exhaust the node's descriptors.
                var why = $"too many open connections (limit {_options.MaxConnections})";
                Report(head, EgressVerdict.Blocked, why);
                await RespondAsync(clientStream, 503, "Service Unavailable", $"AgentMesh egress proxy: {why}.").ConfigureAwait(false);
                return;
            }
            if (!_options.Allowlist.IsAllowed(head.Host, head.Port))
            {
                Report(head, EgressVerdict.Blocked, "not in the allowlist");
                await RespondAsync(clientStream, 403, "Forbidden", $"AgentMesh egress allowlist: {head.Host}:{head.Port} is not allowed.").ConfigureAwait(false);
                return;
            }
            using var upstream = await ConnectAsync(head).ConfigureAwait(false);
            if (upstream.Socket is null)
            {
                Report(head, EgressVerdict.Unreachable, upstream.Error!);
                await RespondAsync(clientStream, 502, "Bad Gateway", $"AgentMesh egress proxy: {head.Host}:{head.Port}: {upstream.Error}").ConfigureAwait(false);
                return;
            }
            Report(head, EgressVerdict.Allowed, "in the allowlist");
            await using var upstreamStream = new NetworkStream(upstream.Socket, ownsSocket: false);
            if (head.IsConnect)
            {
                await clientStream.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stopping.Token).ConfigureAwait(false);
            }
            else
            {
                await upstreamStream.WriteAsync(head.ForUpstream(), _stopping.Token).ConfigureAwait(false);
            }
            await upstreamStream.WriteAsync(rest, _stopping.Token).ConfigureAwait(false);
            await RelayAsync(client, clientStream, upstream.Socket, upstreamStream).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A client or server that hangs up, a head that never came, or the proxy stopping: the connection ends.
        }
    }

    /// <summary>Copies both ways until both sides are done; a side that finishes sending half-closes the other.</summary>
    private async Task RelayAsync(Socket client, NetworkStream clientStream, Socket upstream, NetworkStream upstreamStream)
    {
        async Task Pipe(NetworkStream from, Socket to, NetworkStream toStream)
        {
            try
            {
                await from.CopyToAsync(toStream, _stopping.Token).ConfigureAwait(false);
                to.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One side broke: closing both ends the other pipe too.
                client.Close();
                upstream.Close();
            }
        }
        await Task.WhenAll(Pipe(clientStream, upstream, upstreamStream), Pipe(upstreamStream, client, clientStream)).ConfigureAwait(false);
    }

    private async Task<Upstream> ConnectAsync(ProxyRequestHead head)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var token = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, timeout.Token);
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(EgressAllowlist.NormalizeHost(head.Host), out var literal)
                ? [literal]
                : (await Dns.GetHostAddressesAsync(head.Host, token.Token).ConfigureAwait(false)).Where(a => !IsLinkLocal(a)).ToArray();
        }
        catch (SocketException e)
        {
            return new Upstream(null, $"cannot resolve the name ({e.SocketErrorCode})");
        }
        if (addresses.Length == 0)
        {
            return new Upstream(null, "the name resolves to no address the proxy may connect to");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(addresses, head.Port, token.Token).ConfigureAwait(false);
            return new Upstream(socket, null);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return new Upstream(null, e is SocketException s ? $"connection failed ({s.SocketErrorCode})" : "connection timed out");
        }
    }

    internal static bool IsLinkLocal(IPAddress address) =>
        address.IsIPv6LinkLocal || (address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, _, _]);

    private void Report(ProxyRequestHead head, EgressVerdict verdict, string reason)
    {
        try
        {
            _report(new EgressEvent(_time.GetUtcNow(), head.Host, head.Port, head.Method, verdict, reason));
        }
#pragma warning disable CA1031 // A broken log consumer must not turn into an open or a stuck proxy.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task RespondAsync(Stream client, int status, string reason, string body)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body + "\n");
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n\r\n");
        await client.WriteAsync(head, _stopping.Token).ConfigureAwait(false);
        await client.WriteAsync(bodyBytes, _stopping.Token).ConfigureAwait(false);
    }

    private void CloseListeners()
    {
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }
        if (_options.UnixSocketPath is { } path)
        {
            File.Delete(path);
        }
    }

    /// <summary>Stops listening, ends every open connection and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        CloseListeners();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed record Upstream(Socket? Socket, string? Error) : IDisposable
    {
        public void Dispose() => Socket?.Dispose();
    }
}
