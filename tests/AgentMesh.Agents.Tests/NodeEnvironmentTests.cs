using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

/// <summary>
/// CliWrap starts a child with the node's own environment unless told otherwise. These tests plant a secret in
/// this (the node's) real process environment and prove that neither an agent, sandboxed or not, nor git sees it.
/// </summary>
public sealed class NodeEnvironmentTests : IDisposable
{
    /// <summary>Variables /bin/sh sets for itself.</summary>
    private static readonly string[] ShellOwn = ["PWD", "SHLVL", "_", "OLDPWD"];

    private readonly TempDirectory _temp = new("agentmesh-env");
    private readonly string _plantedName = $"AGENTMESH_PLANTED_{Guid.NewGuid():N}".ToUpperInvariant();
    private readonly string _plantedValue = $"ghs_planted_{Guid.NewGuid():N}";

    public NodeEnvironmentTests() => Environment.SetEnvironmentVariable(_plantedName, _plantedValue);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_plantedName, null);
        _temp.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_agent_sees_the_allowlist_its_profile_and_its_run_variables_and_nothing_else_of_the_node(bool sandbox)
    {
        Environment.GetEnvironmentVariable(_plantedName).ShouldBe(_plantedValue, "the secret is planted in the node's own environment");
        var scripts = _temp.Combine("agent-bin");
        var profile = new AgentProfile { Cli = AgentCli.Command, Command = FakeAgentScripts.Write(scripts, "env.sh", "env"), Sandbox = sandbox };
        profile.Environment["PROFILE_VAR"] = "from-profile";
        var options = new AgentRunnerOptions { DefaultProfile = "p", RunsDirectory = _temp.Combine("runs") };
        options.Profiles["p"] = profile;
        // No nodeVariable override: the runner reads the node's real environment.
        var runner = new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), DictionaryNodeSecrets.Empty, TimeProvider.System);
        var worktree = _temp.Combine("wt");
        Directory.CreateDirectory(worktree);

        await using var run = runner.Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = worktree });
        var result = await Eventually.WithinAsync(run.Completion, "the env agent to finish");

        result.Exit.Kind.ShouldBe(ProcessExitKind.Success, result.Exit.Describe());
        result.FinalText.ShouldNotContain(_plantedValue);
        var seen = Names(result.FinalText);
        var allowlisted = options.EnvironmentAllowlist.Where(n => Environment.GetEnvironmentVariable(n) is not null);
        string[] own = ["PROFILE_VAR", "HOME", "AGENTMESH_PROMPT_FILE", "PATH", .. sandbox ? ["TMPDIR"] : Array.Empty<string>()];
        seen.ShouldBe(allowlisted.Concat(own).Distinct().Order(StringComparer.Ordinal), ignoreOrder: false);
    }

    [Fact]
    public async Task Git_sees_its_own_variables_and_nothing_else_of_the_node()
    {
        var fakeGit = FakeAgentScripts.Write(_temp, "git", "env");

        var output = await new Git(fakeGit).RunAsync(_temp.Path, ["status"], new Dictionary<string, string> { ["GIT_CONFIG_COUNT"] = "0" });

        output.ShouldNotContain(_plantedValue);
        Names(output).ShouldBe(["GIT_ASKPASS", "GIT_CONFIG_COUNT", "GIT_TERMINAL_PROMPT", "HOME", "LANG", "PATH"], ignoreOrder: false);
    }

    private static List<string> Names(string env) =>
        [.. env.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)[0]).Where(n => !ShellOwn.Contains(n)).Order(StringComparer.Ordinal)];
}
