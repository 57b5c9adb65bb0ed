using System.Diagnostics;
using System.Globalization;
using AgentMesh.Agents.Processes;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

/// <summary>The one-exec launcher an agent starts through (Processes/Launcher/agentmesh-launch.c, docs/agents.md).</summary>
public sealed class AgentLauncherTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-launch");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_one_exec_launcher_is_built_beside_the_node()
    {
        AgentLauncher.UsesOwnLauncher.ShouldBeTrue(
            $"{AgentLauncher.OwnLauncherFileName} is not next to the assemblies in {AppContext.BaseDirectory}: the build compiles it "
            + "with the machine's C compiler. Install one (Debian: apt-get install gcc libc6-dev) and rebuild; without it agents "
            + "start through setsid and setpriv, two execs instead of one.");
        AgentLauncher.Program.ShouldBe(Path.Combine(AppContext.BaseDirectory, AgentLauncher.OwnLauncherFileName));
        AgentLauncher.ArgumentsBefore.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_agent_leads_its_own_session_and_process_group()
    {
        var script = FakeAgentScripts.Write(_temp, "ids.sh", "ps -o sid=,pgid= -p $$");
        await using var process = AgentProcess.Start(new AgentProcessStartInfo
        {
            FileName = script,
            Arguments = [],
            WorkingDirectory = _temp.Path,
            Environment = ProcessTestExtensions.BasicEnvironment(),
            GracePeriod = TimeSpan.FromSeconds(5),
        });
        var ids = (await process.ReadAllLinesAsync()).Single().Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var pid = process.ProcessGroupId.ToString(CultureInfo.InvariantCulture);
        ids.ShouldBe([pid, pid], "the agent's session id and process group id should both be its own pid");
    }

    [Fact]
    public async Task A_program_started_through_the_launcher_is_killed_when_its_parent_dies()
    {
        var orphan = await StartOrphanAsync(throughLauncher: true);
        await Eventually.UntilAsync(
            () => !ProcessTestExtensions.ProcessIsAlive(orphan),
            $"the sleep started through {AgentLauncher.OwnLauncherFileName} (pid {orphan}) to be killed once the shell that started it exited");
    }

    [Fact]
    public async Task Without_the_launcher_the_same_program_outlives_its_parent()
    {
        // The control for the test above: what it shows is the launcher's doing, not the shell's.
        var orphan = await StartOrphanAsync(throughLauncher: false);
        try
        {
            ProcessTestExtensions.ProcessIsAlive(orphan).ShouldBeTrue("a plain background sleep should outlive the shell that started it");
        }
        finally
        {
            Process.GetProcessById(orphan).Kill();
        }
    }

    /// <summary>A shell starts a sleep in the background, prints its pid and exits once its stdin closes.</summary>
    private static async Task<int> StartOrphanAsync(bool throughLauncher)
    {
        AgentLauncher.UsesOwnLauncher.ShouldBeTrue($"{AgentLauncher.OwnLauncherFileName} was not built (see The_one_exec_launcher_is_built_beside_the_node).");
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardInput = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(throughLauncher ? "\"$0\" /bin/sleep 300 & echo $!; read -r _" : "/bin/sleep 300 & echo $!; read -r _");
        start.ArgumentList.Add(AgentLauncher.Program);
        using var shell = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var pid = int.Parse((await shell.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture);
        await Eventually.UntilAsync(
            () => Comm(pid) == "sleep",
            $"the background program (pid {pid}) to have exec'd sleep");
        shell.StandardInput.Close();
        await Eventually.WithinAsync(shell.WaitForExitAsync(), "the shell to exit once its stdin closed");
        return pid;
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
