using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class ProfileTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-profile");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_agent_gets_the_allowlist_its_profile_variables_and_only_the_secrets_it_names()
    {
        var node = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["LANG"] = "C.UTF-8",
            ["GITHUB_TOKEN"] = "ghs_node_token",
            ["AGENTMESH__STORAGE__CONNECTIONSTRING"] = "Host=db;Password=hunter2",
        };
        var script = FakeAgentScripts.Write(_temp, "env-agent", "env | sort");
        var profile = new AgentProfile { Cli = AgentCli.Command, Command = script };
        profile.Environment["ANTHROPIC_BASE_URL"] = "https://openrouter.example/api";
        profile.Secrets.Add("ANTHROPIC_AUTH_TOKEN");
        var options = new AgentRunnerOptions { DefaultProfile = "p", RunsDirectory = _temp.Combine("runs") };
        options.Profiles["p"] = profile;
        var secrets = new DictionaryNodeSecrets(new Dictionary<string, string> { ["ANTHROPIC_AUTH_TOKEN"] = "sk-or-allowed", ["OTHER_SECRET"] = "sk-not-allowed" });
        var runner = new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), secrets, TimeProvider.System, nodeVariable: n => node.GetValueOrDefault(n));
        Directory.CreateDirectory(_temp.Combine("wt"));

        await using var run = runner.Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = _temp.Combine("wt") });
        var result = await Eventually.WithinAsync(run.Completion, "the env agent to finish");

        var variables = result.FinalText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p[0] is not ("PWD" or "SHLVL" or "_" or "OLDPWD")).ToDictionary(p => p[0], p => p[1]);
        variables.Keys.Order(StringComparer.Ordinal).ShouldBe(["AGENTMESH_PROMPT_FILE", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "HOME", "LANG", "PATH"]);
        variables["ANTHROPIC_AUTH_TOKEN"].ShouldBe("sk-or-allowed");
        variables["HOME"].ShouldStartWith(_temp.Combine("runs"));
        result.FinalText.ShouldNotContain("ghs_node_token");
        result.FinalText.ShouldNotContain("hunter2");
        result.FinalText.ShouldNotContain("sk-not-allowed");
        Directory.Exists(Path.GetDirectoryName(variables["HOME"])).ShouldBeFalse("the run's scratch folder (and fresh HOME) is deleted afterwards");
    }

    [Fact]
    public void A_profile_asking_for_a_secret_the_node_lacks_does_not_start()
    {
        var profile = new AgentProfile { Cli = AgentCli.Command, Command = "/bin/true" };
        profile.Secrets.Add("MISSING_KEY");
        var options = new AgentRunnerOptions { DefaultProfile = "p", RunsDirectory = _temp.Combine("runs") };
        options.Profiles["p"] = profile;
        var runner = new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), DictionaryNodeSecrets.Empty, TimeProvider.System);
        Should.Throw<InvalidOperationException>(() => runner.Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = _temp.Path }))
            .Message.ShouldBe("Profile 'p' asks for the node secret 'MISSING_KEY', which this node does not have.");
        Directory.GetDirectories(_temp.Combine("runs")).ShouldBeEmpty("a run that did not start leaves no scratch folder");
    }

    [Fact]
    public void Invalid_runner_options_fail_with_exact_messages()
    {
        var options = new AgentRunnerOptions { DefaultProfile = "nope", GracePeriod = TimeSpan.Zero };
        options.Profiles["a"] = new AgentProfile { Timeout = TimeSpan.Zero, MaxTurns = 0, Fallback = "b" };
        options.Profiles["b"] = new AgentProfile { Cli = AgentCli.Command, Fallback = "a" };
        options.Profiles["c"] = new AgentProfile { Fallback = "ghost" };

        var result = new AgentRunnerOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldBe([
            "Agents:GracePeriod must be positive (was 00:00:00).",
            "Agents:DefaultProfile 'nope' names no profile (have: a, b, c).",
            "Agents:Profiles:a:Timeout must be positive (was 00:00:00).",
            "Agents:Profiles:a:MaxTurns must be at least 1 (was 0).",
            "Agents:Profiles:a:Fallback chain loops back to 'a'.",
            "Agents:Profiles:b:Command is required when Cli is Command.",
            "Agents:Profiles:b:Fallback chain loops back to 'b'.",
            "Agents:Profiles:c:Fallback 'ghost' names no profile.",
        ], ignoreOrder: false);
    }

    [Fact]
    public void Valid_options_pass_and_workspace_options_are_validated_too()
    {
        var options = new AgentRunnerOptions();
        options.Profiles["claude"] = new AgentProfile { Fallback = "backup" };
        options.Profiles["backup"] = new AgentProfile { Cli = AgentCli.Codex };
        new AgentRunnerOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();

        new WorkspaceOptionsValidator().Validate(null, new WorkspaceOptions { Root = "", BranchPrefix = "bad prefix" }).Failures.ShouldBe([
            "Workspaces:Root is required (a folder for mirrors and worktrees).",
            "Workspaces:BranchPrefix 'bad prefix' is not usable in a git branch name.",
        ]);
    }

    [Fact]
    public void A_profile_whose_cli_is_not_installed_does_not_start()
    {
        var options = new AgentRunnerOptions { DefaultProfile = "codex", RunsDirectory = _temp.Combine("runs") };
        options.Profiles["codex"] = new AgentProfile { Cli = AgentCli.Codex, Command = "codex-not-installed" };
        var runner = new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), DictionaryNodeSecrets.Empty, TimeProvider.System,
            nodeVariable: n => n == "PATH" ? "/usr/bin:/bin" : null);
        Should.Throw<InvalidOperationException>(() => runner.Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = _temp.Path }))
            .Message.ShouldBe("The agent command 'codex-not-installed' of profile 'codex' was not found (PATH=/usr/bin:/bin). Install the CLI or set the profile's Command.");
    }
}
