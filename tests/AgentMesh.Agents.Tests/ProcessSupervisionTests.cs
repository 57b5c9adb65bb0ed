using AgentMesh.Agents.Processes;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class ProcessSupervisionTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-proc");

    public void Dispose() => _temp.Dispose();

    private AgentProcessStartInfo Script(string body, TimeSpan? timeout = null, TimeSpan? grace = null, IReadOnlyList<string>? args = null, Dictionary<string, string>? env = null) => new()
    {
        FileName = FakeAgentScripts.Write(_temp, $"agent-{Guid.NewGuid():N}.sh", body),
        Arguments = args ?? [],
        WorkingDirectory = _temp.Path,
        Environment = env ?? ProcessTestExtensions.BasicEnvironment(),
        Timeout = timeout,
        GracePeriod = grace ?? TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Arguments_reach_the_agent_verbatim_without_a_shell()
    {
        // CliWrap joins argv into one escaped string that .NET splits again: quotes, backslashes, empty and
        // multi-line arguments (a Gemini prompt) must survive that round trip. Each argument is printed
        // between brackets, with its newlines shown as '|'.
        string[] args = ["two words", "$HOME", "; rm -rf /", "`id`", "*", "", "say \"hi\"", "back\\slash\\", "\\\"", "line one\nline two"];
        await using var process = AgentProcess.Start(Script("for a in \"$@\"; do printf '[%s]\\n' \"$a\" | tr '\\n' '|'; echo; done", args: args));
        var lines = await process.ReadAllLinesAsync();
        lines.Select(l => l.Text).ShouldBe(args.Select(a => $"[{a}]|".Replace("\n", "|", StringComparison.Ordinal)));
        (await process.Exited).Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Fact]
    public async Task The_agent_sees_exactly_the_given_environment_and_runs_in_its_working_directory()
    {
        Environment.SetEnvironmentVariable("AGENTMESH_TEST_NODE_SECRET", "node-secret-value");
        var env = ProcessTestExtensions.BasicEnvironment();
        env["PROFILE_VAR"] = "from-profile";
        await using var process = AgentProcess.Start(Script("pwd; env | sort", env: env));
        var lines = (await process.ReadAllLinesAsync()).Select(l => l.Text).ToList();
        lines[0].ShouldBe(_temp.Path);
        // Only what was given, plus PWD/SHLVL/_ that /bin/sh itself sets.
        lines.Skip(1).Select(l => l.Split('=')[0]).Where(n => n is not ("PWD" or "SHLVL" or "_" or "OLDPWD"))
            .ShouldBe(["PATH", "PROFILE_VAR"]);
        lines.ShouldNotContain(l => l.Contains("node-secret-value"));
    }

    [Fact]
    public async Task Stdout_and_stderr_are_read_line_by_line_and_stdin_stays_open()
    {
        await using var process = AgentProcess.Start(Script("echo ready; while read line; do echo \"got $line\"; echo \"err $line\" >&2; done; echo bye"));
        await process.ReadUntilAsync("ready");
        (await process.WriteLineAsync("one")).ShouldBeTrue();
        await process.ReadUntilAsync("got one");
        (await process.WriteLineAsync("two")).ShouldBeTrue();
        await process.CloseInputAsync();
        var rest = await process.ReadAllLinesAsync();
        rest.ShouldContain(new OutputLine(OutputStream.Stdout, "got two"));
        rest.ShouldContain(new OutputLine(OutputStream.Stderr, "err two"));
        // Two pipes: order is kept within a stream, not across them.
        rest.Where(l => l.Stream == OutputStream.Stdout).Select(l => l.Text).ShouldBe(["got two", "bye"]);
        (await process.WriteLineAsync("late")).ShouldBeFalse();
        (await process.Exited).Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Fact]
    public async Task The_agent_leads_its_own_process_group()
    {
        await using var process = AgentProcess.Start(Script("ps -o pgid= -p $$ | tr -d ' '; echo $$"));
        var lines = (await process.ReadAllLinesAsync()).Select(l => l.Text).ToList();
        lines.ShouldBe([process.ProcessGroupId.ToString(System.Globalization.CultureInfo.InvariantCulture), process.ProcessGroupId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    [Fact]
    public async Task Stop_kills_the_whole_process_tree()
    {
        // The agent starts a grandchild that would outlive it, then waits.
        var pidFile = _temp.Combine("grandchild.pid");
        await using var process = AgentProcess.Start(Script($"sleep 300 & echo $! > {pidFile}; echo ready; wait"));
        await process.ReadUntilAsync("ready");
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        ProcessTestExtensions.ProcessIsAlive(grandchild).ShouldBeTrue();

        var exit = await process.StopAsync();

        exit.Kind.ShouldBe(ProcessExitKind.Stopped);
        exit.Signal.ShouldBe(PosixSignal.Terminate);
        await Eventually.UntilAsync(() => !ProcessTestExtensions.ProcessIsAlive(grandchild), "the agent's grandchild (sleep) to be gone after stop");
    }

    [Fact]
    public async Task When_the_agent_exits_what_it_left_in_its_group_is_killed_and_the_exit_is_reported()
    {
        // The grandchild keeps the agent's stdout open: without the group kill on the leader's exit, the output
        // (and CliWrap's execution, which waits for the pipes) would not end for 300 s.
        var pidFile = _temp.Combine("straggler.pid");
        var process = AgentProcess.Start(Script($"sleep 300 & echo $! > {pidFile}; echo leaving; exit 4"));
        await Eventually.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), "the agent to start its straggler");
        var straggler = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var exit = await Eventually.WithinAsync(process.Exited, "the agent's exit to be reported while its straggler holds stdout");

            exit.Kind.ShouldBe(ProcessExitKind.AgentError);
            exit.ExitCode.ShouldBe(4);
            (await process.ReadAllLinesAsync()).Select(l => l.Text).ShouldBe(["leaving"]);
            await Eventually.UntilAsync(() => !ProcessTestExtensions.ProcessIsAlive(straggler), "the straggler (sleep) to be killed with the group");
        }
        finally
        {
            // Should this fail, the straggler must not hold the test run for 300 s.
            if (ProcessTestExtensions.ProcessIsAlive(straggler))
            {
                NativeKill(straggler);
            }
            await process.DisposeAsync();
        }
    }

    private static void NativeKill(int pid)
    {
        using var straggler = System.Diagnostics.Process.GetProcessById(pid);
        straggler.Kill();
    }

    [Fact]
    public async Task Timeout_sends_SIGTERM_then_SIGKILL_after_the_grace_period()
    {
        var clock = new FakeTimeProvider();
        var start = Script("trap 'echo got-term' TERM; echo ready; while :; do sleep 1; done", timeout: TimeSpan.FromMinutes(30), grace: TimeSpan.FromSeconds(10));
        await using var process = AgentProcess.Start(start, clock);
        await process.ReadUntilAsync("ready");

        clock.Advance(TimeSpan.FromMinutes(30));
        await process.ReadUntilAsync("got-term");
        process.Exited.IsCompleted.ShouldBeFalse("the agent ignores SIGTERM, so it lives until the grace period ends");

        clock.Advance(TimeSpan.FromSeconds(10));
        var exit = await Eventually.WithinAsync(process.Exited, "the agent to be killed after the grace period");
        exit.Kind.ShouldBe(ProcessExitKind.Timeout);
        exit.Signal.ShouldBe(PosixSignal.Kill);
    }

    [Fact]
    public async Task Interrupt_sends_SIGINT_to_the_group()
    {
        await using var process = AgentProcess.Start(Script("trap 'echo got-int; exit 0' INT; echo ready; while :; do sleep 1; done"));
        await process.ReadUntilAsync("ready");
        process.Interrupt().ShouldBeTrue();
        await process.ReadUntilAsync("got-int");
        (await process.Exited).Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Theory]
    [InlineData("exit 0", ProcessExitKind.Success, 0, null)]
    [InlineData("exit 3", ProcessExitKind.AgentError, 3, null)]
    [InlineData("kill -SEGV $$", ProcessExitKind.Crashed, 139, 11)]
    [InlineData("kill -KILL $$", ProcessExitKind.Crashed, 137, 9)]
    public async Task Exits_are_classified(string body, ProcessExitKind kind, int exitCode, int? signal)
    {
        await using var process = AgentProcess.Start(Script(body));
        var exit = await Eventually.WithinAsync(process.Exited, $"'{body}' to exit");
        exit.Kind.ShouldBe(kind);
        exit.ExitCode.ShouldBe(exitCode);
        exit.Signal.ShouldBe(signal);
    }
}
