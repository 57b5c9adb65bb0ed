using System.Net;
using System.Net.Sockets;
using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Sandbox;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class SandboxTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-sandbox");

    public SandboxTests()
    {
        if (!new BubblewrapSandbox().IsAvailable)
        {
            throw new InvalidOperationException($"The sandbox tests need {BubblewrapSandbox.DefaultPath}: install bubblewrap (apt-get install -y bubblewrap).");
        }
    }

    public void Dispose() => _temp.Dispose();

    private async Task<(AgentRunResult Result, string Output)> RunSandboxedAsync(string bashBody, bool network)
    {
        var scripts = _temp.Combine("agent-bin");
        Directory.CreateDirectory(scripts);
        var path = Path.Combine(scripts, "agent.sh");
        await File.WriteAllTextAsync(path, "#!/bin/bash\n" + bashBody + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var worktree = _temp.Combine("worktree");
        Directory.CreateDirectory(worktree);
        var profile = new AgentProfile { Cli = AgentCli.Command, Command = path, Sandbox = true, Network = network };
        var options = new AgentRunnerOptions { DefaultProfile = "boxed", RunsDirectory = _temp.Combine("runs") };
        options.Profiles["boxed"] = profile;
        var runner = new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), DictionaryNodeSecrets.Empty, TimeProvider.System);
        await using var run = runner.Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = worktree });
        var raw = new List<string>();
        await foreach (var e in run.Events.ReadAllAsync())
        {
            if (e is RawOutput line)
            {
                raw.Add(line.Text);
            }
        }
        var result = await Eventually.WithinAsync(run.Completion, "the sandboxed agent to finish");
        raw.ShouldBeEmpty("the sandboxed agent wrote to stderr");
        result.Exit.Kind.ShouldBe(ProcessExitKind.Success, $"the sandboxed agent ended: {result.Exit.Describe()}");
        return (result, result.FinalText);
    }

    [Fact]
    public async Task A_sandboxed_agent_writes_its_worktree_but_cannot_read_files_outside_it()
    {
        var secret = _temp.Combine("node-data", "secrets.json");
        Directory.CreateDirectory(Path.GetDirectoryName(secret)!);
        await File.WriteAllTextAsync(secret, "{\"github_token\":\"ghs_do_not_leak\"}");
        File.ReadAllText(secret).ShouldContain("ghs_do_not_leak"); // readable outside the sandbox
        // The node's own environment (its secrets) is readable by any same-user process that sees its /proc entry.
        File.ReadAllText($"/proc/{Environment.ProcessId}/environ").ShouldContain("PATH=");

        var (result, output) = await RunSandboxedAsync($"""
            cat {secret} 2>/dev/null && echo "read-secret" || echo "secret-unreadable"
            ls {Path.GetDirectoryName(secret)} 2>/dev/null && echo "saw-node-data" || echo "no-node-data"
            echo work > result.txt && echo "wrote-worktree"
            echo "home-entries=$(ls -A "$HOME" | wc -l)"
            echo scratch > /tmp/scratch && echo "tmp-writable"
            touch /usr/agent-was-here 2>/dev/null && echo "usr-writable" || echo "usr-read-only"
            cat /proc/{Environment.ProcessId}/environ >/dev/null 2>&1 && echo "read-node-environ" || echo "node-environ-hidden"
            """, network: false);

        result.Exit.Kind.ShouldBe(ProcessExitKind.Success);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
            ["secret-unreadable", "no-node-data", "wrote-worktree", "home-entries=0", "tmp-writable", "usr-read-only", "node-environ-hidden"]);
        output.ShouldNotContain("ghs_do_not_leak");
        File.ReadAllText(_temp.Combine("worktree", "result.txt")).ShouldBe("work\n");
        File.Exists("/tmp/scratch").ShouldBeFalse("the sandbox's /tmp is its own tmpfs");
    }

    [Fact]
    public async Task A_network_off_agent_cannot_connect_out_and_a_network_on_agent_can()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connect = $"(exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && echo connected || echo no-connection";

        var (_, offline) = await RunSandboxedAsync(connect, network: false);
        offline.Trim().ShouldBe("no-connection");
        listener.Pending().ShouldBeFalse();

        var accept = listener.AcceptTcpClientAsync();
        var (_, online) = await RunSandboxedAsync(connect, network: true);
        online.Trim().ShouldBe("connected");
        using var client = await Eventually.WithinAsync(accept, "the network-on agent's connection to reach the test's listener");
    }

    [Fact]
    public void Wrapping_without_bubblewrap_fails_with_how_to_install_it()
    {
        var missing = new BubblewrapSandbox("/nonexistent/bwrap");
        var error = Should.Throw<InvalidOperationException>(() => missing.Wrap(
            new AgentProcessStartInfo { FileName = "/bin/true", WorkingDirectory = "/" },
            new SandboxSpec("/tmp", "/tmp", Network: false, [], [])));
        error.Message.ShouldContain("install bubblewrap (apt-get install -y bubblewrap)");
    }

    [Fact]
    public async Task A_sandboxed_agent_outlives_the_thread_that_started_it()
    {
        // bwrap --die-with-parent uses PR_SET_PDEATHSIG, which fires when the forking THREAD exits.
        var scripts = _temp.Combine("agent-bin");
        var script = FakeAgentScripts.Write(scripts, "echo.sh", "read line; echo \"got $line\"");
        var worktree = _temp.Combine("wt");
        var home = _temp.Combine("home");
        Directory.CreateDirectory(worktree);
        Directory.CreateDirectory(home);
        var start = new BubblewrapSandbox().Wrap(
            new AgentProcessStartInfo { FileName = script, WorkingDirectory = worktree, Environment = ProcessTestExtensions.BasicEnvironment() },
            new SandboxSpec(worktree, home, Network: false, [], [scripts]));
        AgentProcess? process = null;
        var starter = new Thread(() => process = AgentProcess.Start(start));
        starter.Start();
        starter.Join();

        await using var agent = process.ShouldNotBeNull();
        (await agent.WriteLineAsync("ping")).ShouldBeTrue();
        await agent.ReadUntilAsync("got ping");
        (await agent.Exited).Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Fact]
    public async Task Stopping_a_sandboxed_agent_kills_everything_it_started()
    {
        var marker = $"{300 + Random.Shared.Next(1, 999)}.{Random.Shared.Next(100000, 999999)}";
        var scripts = _temp.Combine("agent-bin");
        Directory.CreateDirectory(scripts);
        var path = FakeAgentScripts.Write(scripts, "spawner.sh", $"sleep {marker} & echo started; wait");
        var worktree = _temp.Combine("worktree");
        Directory.CreateDirectory(worktree);
        var options = new AgentRunnerOptions { DefaultProfile = "boxed", RunsDirectory = _temp.Combine("runs"), GracePeriod = TimeSpan.FromSeconds(5) };
        options.Profiles["boxed"] = new AgentProfile { Cli = AgentCli.Command, Command = path, Sandbox = true, Network = false };
        var runner = new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), DictionaryNodeSecrets.Empty, TimeProvider.System);
        await using var run = runner.Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = worktree });
        await Eventually.UntilAsync(() => ProcessesWithArgument(marker).Count == 1, "the sandboxed agent's sleep to be running");

        var result = await run.StopAsync();

        result.Exit.Kind.ShouldBe(ProcessExitKind.Stopped);
        await Eventually.UntilAsync(() => ProcessesWithArgument(marker).Count == 0, "the sandboxed sleep to be killed with its agent");
    }

    private static List<int> ProcessesWithArgument(string argument)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                var state = File.ReadAllText(Path.Combine(dir, "stat"));
                if (cmdline.Contains(argument) && state[(state.LastIndexOf(')') + 2)] != 'Z')
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
