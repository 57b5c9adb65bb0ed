using System.Globalization;
using AgentMesh.Agents.Processes;
using AgentMesh.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

/// <summary>
/// A launcher started ahead of its agent (<see cref="StandbyLauncher"/>, <c>agentmesh-launch --standby</c>): the agent it
/// execs must be started exactly as one started directly (ProcessSupervisionTests), only sooner.
/// </summary>
public sealed class StandbyLauncherTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-standby");

    public StandbyLauncherTests() =>
        AgentLauncher.CanStandBy.ShouldBeTrue($"{AgentLauncher.OwnLauncherFileName} was not built (see AgentLauncherTests.The_one_exec_launcher_is_built_beside_the_node).");

    public void Dispose() => _temp.Dispose();

    private AgentProcessStartInfo Script(string body, IReadOnlyList<string>? args = null, Dictionary<string, string>? env = null, TimeSpan? timeout = null) => new()
    {
        FileName = FakeAgentScripts.Write(_temp, $"agent-{Guid.NewGuid():N}.sh", body),
        Arguments = args ?? [],
        WorkingDirectory = _temp.Path,
        Environment = env ?? ProcessTestExtensions.BasicEnvironment(),
        Timeout = timeout,
        GracePeriod = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task A_launched_standby_runs_its_agent_with_exactly_its_arguments_environment_and_directory_as_its_group_leader()
    {
        Environment.SetEnvironmentVariable("AGENTMESH_TEST_NODE_SECRET", "node-secret-value");
        var env = ProcessTestExtensions.BasicEnvironment();
        env["PROFILE_VAR"] = "from profile, with spaces = and more";
        string[] args = ["two words", "", "line one\nline two", "ünïcode"];
        await using var process = AgentProcess.StartStandby(TimeProvider.System, NullLogger.Instance);

        process.TryLaunch(Script(
            "pwd; ps -o sid=,pgid= -p $$; echo $$; for a in \"$@\"; do printf '[%s]\\n' \"$a\" | tr '\\n' '|'; echo; done; env | sort",
            args: args,
            env: env)).ShouldBeTrue();

        var lines = (await process.ReadAllLinesAsync()).Select(l => l.Text).ToList();
        lines[0].ShouldBe(_temp.Path);
        var pid = process.ProcessGroupId.ToString(CultureInfo.InvariantCulture);
        lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe([pid, pid], "the agent's session and group should be its own, as the launcher made them");
        lines[2].ShouldBe(pid, "the agent should be the launcher's own process, exec'd, not a child of it");
        lines.Skip(3).Take(args.Length).ShouldBe(args.Select(a => $"[{a}]|".Replace("\n", "|", StringComparison.Ordinal)));
        var variables = lines.Skip(3 + args.Length).ToList();
        variables.Select(l => l.Split('=')[0]).Where(n => n is not ("PWD" or "SHLVL" or "_" or "OLDPWD")).ShouldBe(["PATH", "PROFILE_VAR"]);
        variables.ShouldContain("PROFILE_VAR=from profile, with spaces = and more");
        lines.ShouldNotContain(l => l.Contains("node-secret-value"));
        (await process.Exited).Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Fact]
    public async Task What_is_written_to_a_launched_standby_reaches_its_agent()
    {
        await using var process = AgentProcess.StartStandby(TimeProvider.System, NullLogger.Instance);
        process.TryLaunch(Script("echo ready; while read line; do echo \"got $line\"; done; echo bye")).ShouldBeTrue();

        await process.ReadUntilAsync("ready");
        (await process.WriteLineAsync("one")).ShouldBeTrue();
        await process.ReadUntilAsync("got one");
        await process.CloseInputAsync();
        await process.ReadUntilAsync("bye");
        (await process.Exited).Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Fact]
    public async Task A_standby_launched_with_a_program_it_cannot_run_exits_127_and_says_why()
    {
        await using var process = AgentProcess.StartStandby(TimeProvider.System, NullLogger.Instance);
        process.TryLaunch(new AgentProcessStartInfo
        {
            FileName = Path.Combine(_temp.Path, "no-such-agent"),
            WorkingDirectory = _temp.Path,
            Environment = ProcessTestExtensions.BasicEnvironment(),
        }).ShouldBeTrue();

        var lines = await process.ReadAllLinesAsync();
        lines.ShouldContain(l => l.Stream == OutputStream.Stderr && l.Text.Contains("no-such-agent: No such file or directory"));
        var exit = await process.Exited;
        (exit.Kind, exit.ExitCode).ShouldBe((ProcessExitKind.AgentError, 127));
    }

    [Fact]
    public async Task A_discarded_standby_exits_and_can_no_longer_be_launched()
    {
        var process = AgentProcess.StartStandby(TimeProvider.System, NullLogger.Instance);
        var pid = process.ProcessGroupId;

        await Eventually.WithinAsync(process.DiscardAsync(), "the standby launcher to exit once discarded");

        (await process.Exited).ExitCode.ShouldBe(0, "a standby whose input ends before any request exits quietly");
        ProcessTestExtensions.ProcessIsAlive(pid).ShouldBeFalse();
        process.TryLaunch(Script("echo should-not-run")).ShouldBeFalse();
        await process.DisposeAsync();
    }

    [Fact]
    public async Task A_standby_agents_timeout_counts_from_its_launch_not_from_the_launchers_start()
    {
        var clock = new FakeTimeProvider();
        await using var process = AgentProcess.StartStandby(clock, NullLogger.Instance);
        clock.Advance(TimeSpan.FromHours(1));
        process.TryLaunch(Script("trap 'echo got-term; exit 0' TERM; echo ready; while :; do sleep 1; done", timeout: TimeSpan.FromMinutes(30))).ShouldBeTrue();
        await process.ReadUntilAsync("ready");

        clock.Advance(TimeSpan.FromMinutes(29));
        process.Exited.IsCompleted.ShouldBeFalse("29 minutes after its launch the agent is within its 30-minute timeout");
        clock.Advance(TimeSpan.FromMinutes(1));
        await process.ReadUntilAsync("got-term");
        (await Eventually.WithinAsync(process.Exited, "the timed-out agent to exit")).Kind.ShouldBe(ProcessExitKind.Timeout);
    }

    [Fact]
    public async Task The_next_agent_starts_from_the_standby_and_a_new_standby_follows_once_the_agent_shows_life()
    {
        await using var launcher = new StandbyLauncher(TimeProvider.System, NullLogger.Instance);
        launcher.Begin();
        var standbyPid = launcher.StandbyProcessId ?? throw new ShouldAssertException("Begin should have started a standby launcher");

        await using var first = launcher.Start(Script("read -r go; echo $$; read -r done"));

        first.ProcessGroupId.ShouldBe(standbyPid, "the agent should be the standby launcher's process");
        launcher.HasStandby.ShouldBeFalse("the standby was used, and the next one waits for the agent's first sign of life");
        (await first.WriteLineAsync("go")).ShouldBeTrue();
        (await first.ReadUntilAsync(standbyPid.ToString(CultureInfo.InvariantCulture))).ShouldNotBeEmpty();
        await Eventually.UntilAsync(() => launcher.HasStandby, "a new standby launcher to be started once the agent wrote its first line");
        launcher.StandbyProcessId.ShouldNotBe(standbyPid);
        first.HasEnded.ShouldBeFalse("the first agent still waits for its input");
        await first.CloseInputAsync();
    }

    [Fact]
    public async Task A_standby_that_ended_is_passed_over_for_a_direct_start()
    {
        await using var launcher = new StandbyLauncher(TimeProvider.System, NullLogger.Instance);
        launcher.Begin();
        var standbyPid = launcher.StandbyProcessId ?? throw new ShouldAssertException("Begin should have started a standby launcher");
        System.Diagnostics.Process.GetProcessById(standbyPid).Kill();
        await Eventually.UntilAsync(() => !launcher.HasStandby, $"the killed standby launcher (pid {standbyPid}) to be seen as ended");

        await using var agent = launcher.Start(Script("echo started"));

        agent.ProcessGroupId.ShouldNotBe(standbyPid);
        (await agent.ReadAllLinesAsync()).Select(l => l.Text).ShouldBe(["started"]);
        (await agent.Exited).Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Fact]
    public async Task Disposing_the_launcher_ends_its_standby()
    {
        var launcher = new StandbyLauncher(TimeProvider.System, NullLogger.Instance);
        launcher.Begin();
        var standbyPid = launcher.StandbyProcessId ?? throw new ShouldAssertException("Begin should have started a standby launcher");

        await launcher.DisposeAsync();

        await Eventually.UntilAsync(() => !ProcessTestExtensions.ProcessIsAlive(standbyPid), $"the standby launcher (pid {standbyPid}) to exit once its launcher was disposed");
    }
}
