using AgentMesh.Agents.Workspaces;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class GitTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-git");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_failing_git_command_reports_its_arguments_exit_code_and_error_output()
    {
        var error = await Should.ThrowAsync<GitCommandException>(new Git().RunAsync(_temp.Path, ["rev-parse", "--verify", "--quiet", "no-such-ref"]));
        error.ExitCode.ShouldBe(128);
        error.Message.ShouldStartWith("git rev-parse --verify --quiet no-such-ref failed with exit code 128: fatal: not a git repository");
    }

    [Fact]
    public async Task Cancelling_a_git_command_kills_it_and_what_it_started()
    {
        // A git that hangs (a fetch from a remote that never answers), standing in as a script.
        var pidFile = _temp.Combine("child.pid");
        var hangingGit = FakeAgentScripts.Write(_temp, "git", $"sleep 300 & echo $! > {pidFile}; wait");
        using var cancel = new CancellationTokenSource();

        var running = new Git(hangingGit).RunAsync(_temp.Path, ["fetch"], cancellationToken: cancel.Token);
        await Eventually.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), "the hanging git to start its child");
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(Eventually.WithinAsync(running, "the cancelled git to return"));
        await Eventually.UntilAsync(() => !File.Exists($"/proc/{child}/stat") || File.ReadAllText($"/proc/{child}/stat").Contains(") Z ", StringComparison.Ordinal),
            "the hanging git's child (sleep) to be killed");
    }
}
