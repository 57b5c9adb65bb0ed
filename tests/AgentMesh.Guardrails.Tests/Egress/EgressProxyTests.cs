using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentMesh.Guardrails.Egress;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.Egress;

public sealed class EgressProxyTests : IAsyncLifetime
{
    private readonly LoopbackHttpServer _allowed = new("allowed");
    private readonly LoopbackHttpServer _other = new("other");
    private readonly ConcurrentQueue<EgressEvent> _events = new();
    private readonly string _socketDirectory = Directory.CreateTempSubdirectory("agentmesh-egress-").FullName;
    private EgressProxy _proxy = null!;

    public Task InitializeAsync()
    {
        _proxy = EgressProxy.Start(
            new EgressProxyOptions
            {
                Allowlist = new EgressAllowlist([$"localhost:{_allowed.Port}", $"127.0.0.1:{_allowed.Port}"]),
                UnixSocketPath = Path.Combine(_socketDirectory, "egress.sock"),
            },
            _events.Enqueue);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _allowed.DisposeAsync();
        await _other.DisposeAsync();
        Directory.Delete(_socketDirectory, recursive: true);
    }

    [Fact]
    public async Task A_client_using_the_proxy_reaches_the_allowed_host_over_plain_http_and_is_refused_another()
    {
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy(_proxy.ProxyUri), UseProxy = true });

        var allowed = await client.GetAsync(new Uri($"http://localhost:{_allowed.Port}/v1/messages?x=1"));
        var refused = await client.GetAsync(new Uri($"http://localhost:{_other.Port}/exfiltrate"));

        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await allowed.Content.ReadAsStringAsync()).ShouldBe("hello from allowed");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldBe($"AgentMesh egress allowlist: localhost:{_other.Port} is not allowed.\n");
        _other.Requests.ShouldBeEmpty();
        // The upstream gets an origin-form request and one request per connection.
        _allowed.Requests.Single().ShouldStartWith("GET /v1/messages?x=1 HTTP/1.1\r\n");
        _allowed.Requests.Single().ShouldContain("Connection: close\r\n");
        _events.Select(e => e.ToLogLine()).ShouldBe(
        [
            $"allowed connection to localhost:{_allowed.Port} (GET)",
            $"blocked connection to localhost:{_other.Port} (GET): not in the allowlist",
        ]);
    }

    [Fact]
    public async Task A_CONNECT_tunnel_opens_to_the_allowed_host_and_is_refused_to_another()
    {
        using var tunnel = await ConnectTcpAsync();
        var answer = await SendAsync(tunnel, $"CONNECT localhost:{_allowed.Port} HTTP/1.1\r\nHost: localhost:{_allowed.Port}\r\n\r\n", untilHeadEnd: true);
        answer.ShouldBe("HTTP/1.1 200 Connection Established\r\n\r\n");
        var response = await SendAsync(tunnel, "GET /through-the-tunnel HTTP/1.1\r\nHost: localhost\r\n\r\n", untilHeadEnd: false);

        using var refusedTunnel = await ConnectTcpAsync();
        var refused = await SendAsync(refusedTunnel, $"CONNECT 127.0.0.1:{_other.Port} HTTP/1.1\r\n\r\n", untilHeadEnd: false);

        response.ShouldEndWith("hello from allowed");
        _allowed.Requests.Single().ShouldStartWith("GET /through-the-tunnel HTTP/1.1\r\n");
        refused.ShouldStartWith("HTTP/1.1 403 Forbidden\r\n");
        _other.Requests.ShouldBeEmpty();
        var blocked = _events.Single(e => e.Verdict == EgressVerdict.Blocked);
        (blocked.Host, blocked.Port, blocked.Method).ShouldBe(("127.0.0.1", _other.Port, "CONNECT"));
    }

    [Fact]
    public async Task The_unix_socket_serves_clients_that_send_a_Host_header_as_if_to_the_server()
    {
        using var allowedSocket = await ConnectUnixAsync();
        var allowed = await SendAsync(allowedSocket, $"GET /ok HTTP/1.1\r\nHost: localhost:{_allowed.Port}\r\n\r\n", untilHeadEnd: false);
        using var otherSocket = await ConnectUnixAsync();
        var other = await SendAsync(otherSocket, $"GET /no HTTP/1.1\r\nHost: localhost:{_other.Port}\r\n\r\n", untilHeadEnd: false);

        allowed.ShouldEndWith("hello from allowed");
        other.ShouldStartWith("HTTP/1.1 403 Forbidden\r\n");
        _other.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("GET https://localhost/ HTTP/1.1\r\n\r\n")]
    [InlineData("hello\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT localhost HTTP/1.1\r\n\r\n")]
    public async Task Requests_the_proxy_cannot_place_are_answered_400_and_go_nowhere(string request)
    {
        using var socket = await ConnectTcpAsync();

        var answer = await SendAsync(socket, request, untilHeadEnd: false);

        answer.ShouldStartWith("HTTP/1.1 400 Bad Request\r\n");
        _events.ShouldBeEmpty();
        _allowed.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_allowed_host_that_does_not_answer_is_reported_unreachable()
    {
        // A port that was just free: bind, note it, close — nothing listens there now.
        var closedPort = FreePort();
        await using var proxy = EgressProxy.Start(
            new EgressProxyOptions { Allowlist = new EgressAllowlist([$"127.0.0.1:{closedPort}"]) }, _events.Enqueue);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(proxy.TcpEndpoint!);

        var answer = await SendAsync(socket, $"CONNECT 127.0.0.1:{closedPort} HTTP/1.1\r\n\r\n", untilHeadEnd: false);

        answer.ShouldStartWith("HTTP/1.1 502 Bad Gateway\r\n");
        _events.Single().ToLogLine().ShouldBe($"allowed connection to 127.0.0.1:{closedPort} (CONNECT) failed: connection failed (ConnectionRefused)");
    }

    [Fact]
    public async Task Concurrent_clients_each_get_their_own_answer()
    {
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy(_proxy.ProxyUri), UseProxy = true });

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var port = i % 2 == 0 ? _allowed.Port : _other.Port;
            var response = await client.GetAsync(new Uri($"http://localhost:{port}/{i}"));
            return (i, response.StatusCode);
        }));

        answers.ShouldAllBe(a => a.StatusCode == (a.i % 2 == 0 ? HttpStatusCode.OK : HttpStatusCode.Forbidden));
        _allowed.Requests.Select(r => r.Split(' ')[1]).Order().ShouldBe(Enumerable.Range(0, 10).Select(i => $"/{i * 2}").Order());
        _other.Requests.ShouldBeEmpty();
        _events.Count(e => e.Verdict == EgressVerdict.Blocked).ShouldBe(10);
    }

    [Fact]
    public async Task Stopping_the_proxy_ends_open_tunnels()
    {
        var proxy = EgressProxy.Start(new EgressProxyOptions { Allowlist = new EgressAllowlist([$"localhost:{_allowed.Port}"]) }, _ => { });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(proxy.TcpEndpoint!);
        (await SendAsync(socket, $"CONNECT localhost:{_allowed.Port} HTTP/1.1\r\n\r\n", untilHeadEnd: true)).ShouldStartWith("HTTP/1.1 200");

        // The tunnel is open and idle (the server waits for a request that never comes): stopping must not wait for it.
        await proxy.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var buffer = new byte[16];
        (await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(0);
    }

    [Fact]
    public async Task Past_the_connection_limit_requests_are_refused_and_reported()
    {
        var events = new ConcurrentQueue<EgressEvent>();
        await using var proxy = EgressProxy.Start(
            new EgressProxyOptions { Allowlist = new EgressAllowlist([$"localhost:{_allowed.Port}"]), MaxConnections = 1 }, events.Enqueue);
        using var held = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await held.ConnectAsync(proxy.TcpEndpoint!);
        (await SendAsync(held, $"CONNECT localhost:{_allowed.Port} HTTP/1.1\r\n\r\n", untilHeadEnd: true)).ShouldStartWith("HTTP/1.1 200");
        using var second = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await second.ConnectAsync(proxy.TcpEndpoint!);

        var refused = await SendAsync(second, $"CONNECT localhost:{_allowed.Port} HTTP/1.1\r\n\r\n", untilHeadEnd: false);

        refused.ShouldStartWith("HTTP/1.1 503 Service Unavailable\r\n");
        events.Select(e => e.ToLogLine()).ShouldBe(
        [
            $"allowed connection to localhost:{_allowed.Port} (CONNECT)",
            $"blocked connection to localhost:{_allowed.Port} (CONNECT): too many open connections (limit 1)",
        ]);
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_request_is_cut_off_after_the_header_timeout_and_not_before()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using var proxy = EgressProxy.Start(
            new EgressProxyOptions { Allowlist = new EgressAllowlist([$"localhost:{_allowed.Port}"]), HeaderTimeout = TimeSpan.FromSeconds(10) },
            _events.Enqueue,
            time);
        using var slow = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await slow.ConnectAsync(proxy.TcpEndpoint!);
        using var silent = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(proxy.TcpEndpoint!);
        await slow.SendAsync("CONNECT localhost"u8.ToArray(), SocketFlags.None);
        await silent.SendAsync("CONNECT localhost"u8.ToArray(), SocketFlags.None);

        // 9 s is inside the timeout: the slow client may still finish its head.
        time.Advance(TimeSpan.FromSeconds(9));
        (await SendAsync(slow, $":{_allowed.Port} HTTP/1.1\r\n\r\n", untilHeadEnd: true)).ShouldBe("HTTP/1.1 200 Connection Established\r\n\r\n");

        // The silent one is cut off once the timeout passes: poll, advancing fake time, until its connection ends.
        var buffer = new byte[64];
        var received = silent.ReceiveAsync(buffer, SocketFlags.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!received.IsCompleted)
        {
            deadline.IsCancellationRequested.ShouldBeFalse("the proxy did not close a connection whose head never came, after its header timeout");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(received, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
        }
        var closed = await received.ContinueWith(t => t.IsFaulted ? 0 : t.Result, TaskScheduler.Default);

        closed.ShouldBe(0, "a closed (or reset) connection, with no answer");
        _events.Select(e => e.Verdict).ShouldBe([EgressVerdict.Allowed]);
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("fe80::1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.5", false)]
    [InlineData("::1", false)]
    public void Link_local_addresses_are_recognised(string address, bool linkLocal)
    {
        EgressProxy.IsLinkLocal(IPAddress.Parse(address)).ShouldBe(linkLocal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<Socket> ConnectTcpAsync()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_proxy.TcpEndpoint!);
        return socket;
    }

    private async Task<Socket> ConnectUnixAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_proxy.UnixSocketPath!));
        return socket;
    }

    /// <summary>Sends <paramref name="request"/>, then reads the answer: up to the end of its head, or until the other side closes.</summary>
    private static async Task<string> SendAsync(Socket socket, string request, bool untilHeadEnd)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, deadline.Token);
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (!(untilHeadEnd && answer.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal)))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    break;
                }
                answer.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No complete answer to \"{request.Split('\r')[0]}\" within 10 s; got so far: \"{answer}\".");
        }
        return answer.ToString();
    }
}
