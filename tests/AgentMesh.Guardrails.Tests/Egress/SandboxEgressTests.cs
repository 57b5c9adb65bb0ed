using System.Collections.Concurrent;
using System.Diagnostics;
using AgentMesh.Guardrails.Egress;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.Egress;

/// <summary>
/// A real bubblewrap sandbox without network whose only way out is the proxy's unix socket. Like the agent
/// sandbox tests, these fail (never skip) when bubblewrap, Python 3 or curl is missing: build.sh installs them.
/// </summary>
public sealed class SandboxEgressTests : IAsyncLifetime
{
    private const string Bwrap = "/usr/bin/bwrap";
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
        File.Exists(Bwrap).ShouldBeTrue("bubblewrap is missing: apt-get install -y bubblewrap");
        File.Exists(SandboxEgress.DefaultPython).ShouldBeTrue("Python 3 is missing: apt-get install -y python3");
        File.Exists(Curl).ShouldBeTrue("curl is missing: apt-get install -y curl");
        var script = $"""
            echo "plain: $({Curl} -sS --max-time 10 http://localhost:{_allowed.Port}/plain 2>&1)"
            echo "tunnel: $({Curl} -sS --max-time 10 --proxytunnel http://localhost:{_allowed.Port}/tunnel 2>&1)"
            echo "blocked: $({Curl} -sS --max-time 10 -o /dev/null -w '{HttpCode}' http://localhost:{_other.Port}/steal 2>&1)"
            if {Curl} -sS --max-time 10 --noproxy '*' http://localhost:{_allowed.Port}/direct >/dev/null 2>&1; then echo "direct: reached"; else echo "direct: no network"; fi
            if {Curl} -sS --max-time 10 --noproxy '*' http://{Environment.MachineName}:{_allowed.Port}/direct >/dev/null 2>&1; then echo "host: reached"; else echo "host: no network"; fi
            """;
        // The options BubblewrapSandbox gives an agent, then the egress rewrite.
        string[] sandbox =
        [
            "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--ro-bind", "/usr", "/usr", "--ro-bind-try", "/bin", "/bin", "--ro-bind-try", "/lib", "/lib",
            "--ro-bind-try", "/lib64", "/lib64", "--ro-bind-try", "/etc/ssl", "/etc/ssl", "--ro-bind-try", "/etc/hosts", "/etc/hosts",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp",
            "--", "/bin/sh", "-c", script,
        ];
        var arguments = new SandboxEgress(_proxy.UnixSocketPath!).RewriteBwrapArguments(sandbox);

        var (exitCode, output) = await RunAsync(Bwrap, arguments, SandboxEgress.Environment);

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
        string[] sandbox = ["--die-with-parent", "--unshare-pid", "--ro-bind", "/usr", "/usr", "--ro-bind-try", "/bin", "/bin",
            "--ro-bind-try", "/lib", "/lib", "--ro-bind-try", "/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev",
            "--", "/bin/sh", "-c", "exit 7"];

        var (exitCode, _) = await RunAsync(Bwrap, new SandboxEgress(_proxy.UnixSocketPath!).RewriteBwrapArguments(sandbox), SandboxEgress.Environment);

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

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sandboxed process did not exit within 60 s; stdout so far: {await stdout}");
        }
        var error = await stderr;
        return (process.ExitCode, await stdout + (error.Length > 0 ? "stderr: " + error : ""));
    }
}
