using System.Text.Json;
using AgentMesh.Server.Api.Repos;
using AgentMesh.Server.Tests.Api;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Cli;

/// <summary><c>agentmesh repos …</c> as a real process against a running node.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class ReposCliTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    private string Server => _node.BaseAddress.ToString();

    [Fact]
    public async Task Repos_set_saves_the_values_and_a_later_set_keeps_the_others()
    {
        var repo = AdminApiNode.NewRepo();

        var set = await CliRun.RunAsync(
            AdminApiNode.DefaultToken,
            "repos", "set", repo, "--enabled", "true", "--auto-solve", "true", "--trigger-label", "ai", "--allowed-users", "alice,bob",
            "--max-concurrent-jobs", "3", "--hourly-token-budget", "5000", "--daily-token-budget", "20000", "--agent-profile", "codex", "--server", Server);
        var change = await CliRun.RunAsync(AdminApiNode.DefaultToken, "repos", "set", repo, "--enabled", "false", "--hourly-token-budget", "0", "--server", Server);
        var show = await CliRun.RunAsync(AdminApiNode.DefaultToken, "repos", "show", repo, "--json", "--server", Server);

        set.ExitCode.ShouldBe(0, set.ToString());
        set.Stdout.ShouldContain("alice, bob");
        change.ExitCode.ShouldBe(0, change.ToString());
        show.ExitCode.ShouldBe(0, show.ToString());
        var view = JsonSerializer.Deserialize<RepoView>(show.Stdout, AgentMesh.Core.CoreJson.Options)!;
        view.Repo.ShouldBe(repo);
        var c = view.Config;
        (c.Enabled, c.AutoSolve, c.TriggerLabel, c.MaxConcurrentJobs, c.HourlyTokenBudget, c.DailyTokenBudget, c.AgentProfile)
            .ShouldBe((false, true, "ai", 3, (long?)null, (long?)20000, "codex"));
        c.AllowedUsers.ShouldBe(["alice", "bob"]);
        c.TriggerMention.ShouldBe("@agentmesh", "a setting the command did not name keeps its value");
    }

    [Fact]
    public async Task Repos_set_with_an_invalid_value_exits_1_with_the_servers_problems()
    {
        var repo = AdminApiNode.NewRepo();

        var run = await CliRun.RunAsync(AdminApiNode.DefaultToken, "repos", "set", repo, "--max-concurrent-jobs", "0", "--server", Server);

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.Trim().ShouldBe($"agentmesh: The configuration of {repo} is invalid: MaxConcurrentJobs must be between 1 and 100 (was 0).");
    }

    [Fact]
    public async Task Repos_list_shows_a_configured_repo_and_show_of_an_unknown_one_exits_1()
    {
        var repo = AdminApiNode.NewRepo();
        await CliRun.RunAsync(AdminApiNode.DefaultToken, "repos", "set", repo, "--enabled", "true", "--server", Server);
        var unknown = AdminApiNode.NewRepo();

        var list = await CliRun.RunAsync(AdminApiNode.DefaultToken, "repos", "list", "--json", "--server", Server);
        var show = await CliRun.RunAsync(AdminApiNode.DefaultToken, "repos", "show", unknown, "--server", Server);

        list.ExitCode.ShouldBe(0, list.ToString());
        JsonSerializer.Deserialize<List<RepoView>>(list.Stdout, AgentMesh.Core.CoreJson.Options)!.ShouldContain(r => r.Repo == repo && r.Config.Enabled);
        show.ExitCode.ShouldBe(1, show.ToString());
        show.Stderr.Trim().ShouldBe($"agentmesh: Repo {unknown} is not configured.");
    }
}
