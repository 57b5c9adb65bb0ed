using System.Collections.Concurrent;
using AgentMesh.Guardrails.Egress;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.Egress;

/// <summary>
/// A real bubblewrap sandbox without network whose only way out is the proxy's unix socket. Like the agent
/// sandbox tests, these fail (never skip) when bubblewrap, Python 3 or curl is missing: build.sh installs them.
/// </summary>
public sealed class SandboxEgressTests : IAsyncLifetime
{
    private const string Curl = "/usr/bin/curl";
    private const string HttpCode = "%{http_code}";

    private readonly LoopbackHttpServer _allowed = new("allowed");
    private readonly LoopbackHttpServer _other = new("other");
    private readonly ConcurrentQueue<EgressEvent> _events = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("agentmesh-sandbox-egress-").FullName;
    private EgressProxy _proxy = null!;

    public Task InitializeAsync()
    {
        _proxy = EgressProxy.Start(
            new EgressProxyOptions
            {
                Allowlist = new EgressAllowlist([$"localhost:{_allowed.Port}"]),
                ListenOnLoopback = false,
                UnixSocketPath = Path.Combine(_directory, "egress.sock"),
            },
            _events.Enqueue);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _allowed.DisposeAsync();
        await _other.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_sandboxed_process_reaches_the_allowed_host_through_the_proxy_and_nothing_else()
    {
        File.Exists(Bubblewrap.Path).ShouldBeTrue("bubblewrap is missing: apt-get install -y bubblewrap");
        File.Exists(SandboxEgress.DefaultPython).ShouldBeTrue("Python 3 is missing: apt-get install -y python3");
        File.Exists(Curl).ShouldBeTrue("curl is missing: apt-get install -y curl");
        var script = $"""
            echo "plain: $({Curl} -sS --max-time 10 http://localhost:{_allowed.Port}/plain 2>&1)"
            echo "tunnel: $({Curl} -sS --max-time 10 --proxytunnel http://localhost:{_allowed.Port}/tunnel 2>&1)"
            echo "blocked: $({Curl} -sS --max-time 10 -o /dev/null -w '{HttpCode}' http://localhost:{_other.Port}/steal 2>&1)"
            if {Curl} -sS --max-time 10 --noproxy '*' http://localhost:{_allowed.Port}/direct >/dev/null 2>&1; then echo "direct: reached"; else echo "direct: no network"; fi
            if {Curl} -sS --max-time 10 --noproxy '*' http://{Environment.MachineName}:{_allowed.Port}/direct >/dev/null 2>&1; then echo "host: reached"; else echo "host: no network"; fi
            """;
        var sandbox = Bubblewrap.Arguments([], [], "/tmp", ["/bin/sh", "-c", script]);
        var arguments = new SandboxEgress(_proxy.UnixSocketPath!).RewriteBwrapArguments(sandbox);

        var (exitCode, stdout, stderr) = await Bubblewrap.RunAsync(arguments, SandboxEgress.Environment, TimeSpan.FromSeconds(60));
        var output = stdout + stderr;

        output.ShouldBe($"""
            plain: hello from allowed
            tunnel: hello from allowed
            blocked: 403
            direct: no network
            host: no network

            """, $"exit code {exitCode}");
        exitCode.ShouldBe(0);
        _other.Requests.ShouldBeEmpty();
        _allowed.Requests.Select(r => r.Split(' ')[1]).ShouldBe(["/plain", "/tunnel"]);
        _events.Select(e => e.ToLogLine()).ShouldBe(
        [
            $"allowed connection to localhost:{_allowed.Port} (GET)",
            $"allowed connection to localhost:{_allowed.Port} (CONNECT)",
            $"blocked connection to localhost:{_other.Port} (GET): not in the allowlist",
        ]);
    }

    [Fact]
    public async Task The_relay_exits_with_the_agents_exit_code()
    {
        var sandbox = Bubblewrap.Arguments([], [], "/tmp", ["/bin/sh", "-c", "exit 7"]);

        var (exitCode, _, _) = await Bubblewrap.RunAsync(
            new SandboxEgress(_proxy.UnixSocketPath!).RewriteBwrapArguments(sandbox), SandboxEgress.Environment, TimeSpan.FromSeconds(60));

        exitCode.ShouldBe(7);
    }

    [Fact]
    public void The_rewrite_adds_no_network_binds_the_socket_read_only_and_runs_the_command_under_the_relay()
    {
        string[] sandbox = ["--bind", "/work tree", "/work tree", "--chdir", "--", "--", "agent", "--flag"];

        var rewritten = new SandboxEgress("/run/node/egress.sock").RewriteBwrapArguments(sandbox);

        rewritten.ShouldBe(
        [
            "--bind", "/work tree", "/work tree", "--chdir", "--", "--unshare-net", "--ro-bind", "/run/node/egress.sock", SandboxEgress.SocketPathInSandbox,
            "--", "/usr/bin/python3", "-c", SandboxEgress.RelayScript, SandboxEgress.SocketPathInSandbox, "3128", "agent", "--flag",
        ]);
        Should.Throw<ArgumentException>(() => new SandboxEgress("/s").RewriteBwrapArguments(["--unshare-pid"]));
    }
}
