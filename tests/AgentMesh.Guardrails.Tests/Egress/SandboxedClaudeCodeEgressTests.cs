using System.Collections.Concurrent;
using AgentMesh.FakeModel;
using AgentMesh.Guardrails.Egress;
using AgentMesh.Testing;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.Egress;

/// <summary>
/// The real Claude Code CLI (the pinned npm package build.sh installs) in a network-less bubblewrap sandbox whose
/// only way out is the egress proxy: it reaches its model (a scripted API on loopback, on the allowlist) through
/// the proxy, and the shell command the model asks for is refused everywhere else.
/// </summary>
public sealed class SandboxedClaudeCodeEgressTests : IAsyncLifetime
{
    private readonly LoopbackHttpServer _other = new("other");
    private readonly ConcurrentQueue<EgressEvent> _events = new();
    private readonly TempDirectory _temp = new("agentmesh-claude-egress");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _other.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Claude_Code_reaches_its_model_through_the_proxy_and_its_tools_reach_nothing_else()
    {
        var claudePackage = RepoPaths.RequireNpmPackage("@anthropic-ai/claude-code");
        var claude = Path.Combine(claudePackage, "bin", "claude.exe");
        File.Exists(claude).ShouldBeTrue($"Claude Code has no binary at {claude}; run `node {claudePackage}/install.cjs` (./build.sh test does)");
        var command = $"curl -sS --max-time 10 -o /dev/null -w 'blocked:%{{http_code}}\\n' http://127.0.0.1:{_other.Port}/steal; "
            + "curl -sS --max-time 10 --noproxy '*' \"$MODEL_URL\" >/dev/null 2>&1 && echo direct:reached || echo direct:no-network";
        await using var model = await FakeModelServer.StartAsync(
            // The model's address is known only once it listens: the command reads it from the environment.
            ModelTurn.Bash(command),
            ModelTurn.Text("Done."));
        var modelAuthority = $"{model.BaseUrl.Host}:{model.BaseUrl.Port}";
        await using var proxy = EgressProxy.Start(
            new EgressProxyOptions
            {
                Allowlist = new EgressAllowlist([modelAuthority]),
                ListenOnLoopback = false,
                UnixSocketPath = _temp.Combine("egress.sock"),
            },
            _events.Enqueue);
        var home = Directory.CreateDirectory(_temp.Combine("home")).FullName;
        var worktree = Directory.CreateDirectory(_temp.Combine("worktree")).FullName;
        string[] claudeArguments = [claude, "-p", "Check the network.", "--output-format", "stream-json", "--verbose",
            "--model", "claude-fake-1", "--max-turns", "3", "--allowedTools", "Bash"];
        var sandbox = Bubblewrap.Arguments([claudePackage], [home, worktree], worktree, claudeArguments);
        var environment = new Dictionary<string, string>(SandboxEgress.Environment)
        {
            ["HOME"] = home,
            ["TMPDIR"] = "/tmp",
            ["ANTHROPIC_BASE_URL"] = model.BaseUrl.ToString().TrimEnd('/'),
            ["ANTHROPIC_API_KEY"] = "fake-key-for-the-scripted-model",
            ["CLAUDE_CONFIG_DIR"] = Path.Combine(home, ".claude"),
            ["CLAUDE_CODE_MAX_RETRIES"] = "0",
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["DISABLE_AUTOUPDATER"] = "1",
            ["DISABLE_TELEMETRY"] = "1",
            ["DISABLE_ERROR_REPORTING"] = "1",
            ["MODEL_URL"] = model.BaseUrl.ToString(),
        };

        var (exitCode, stdout, stderr) = await Bubblewrap.RunAsync(
            new SandboxEgress(proxy.UnixSocketPath!).RewriteBwrapArguments(sandbox), environment, TimeSpan.FromMinutes(2));

        exitCode.ShouldBe(0, $"stdout: {stdout}\nstderr: {stderr}");
        model.MessageRequests.Count.ShouldBe(2, "both turns reached the model through the proxy");
        model.MessageRequests[1].Body.ShouldContain("blocked:403");
        model.MessageRequests[1].Body.ShouldContain("direct:no-network");
        _other.Requests.ShouldBeEmpty();
        _events.Select(e => (e.Verdict, e.Host, e.Port)).Distinct().ShouldBe(
        [
            (EgressVerdict.Allowed, model.BaseUrl.Host, model.BaseUrl.Port),
            (EgressVerdict.Blocked, "127.0.0.1", _other.Port),
        ], ignoreOrder: true);
    }
}
