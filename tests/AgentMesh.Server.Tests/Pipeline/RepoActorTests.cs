using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Repos;
using AgentMesh.Server.Actors;
using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Pipeline;

/// <summary>The repo actor on its grain: configuration and ledger in grain state, repos of an earlier version imported.</summary>
public sealed class RepoActorTests
{
    [Fact]
    public async Task A_configured_repo_is_listed_keeps_its_ledger_across_reconfiguration_and_is_gone_once_deleted()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", new RepoConfig { Enabled = true });
        await world.Repos.RecordUsageAsync("octo/widgets", 1200);

        var reconfigured = await world.Repos.SetConfigAsync("octo/widgets", new RepoConfig { Enabled = false });

        reconfigured.Config.Enabled.ShouldBeFalse();
        reconfigured.Ledger.Hourly.ShouldBe(BudgetLedger.Empty.Record(1200, world.Clock.GetUtcNow()).Hourly);
        (await world.Repos.ListAsync()).Select(r => r.Repo).ShouldBe(["octo/widgets"]);
        (await world.Store.Actors.GetAsync(RepoActor.ActorType, "octo/widgets")).ShouldBeNull("the grain is the only place the state lives");
        (await world.Store.Actors.ReadEventsAsync(RepoActor.ActorType, "octo/widgets", 0, 10)).Select(e => e.Type).ShouldBe(["repo_configured", "repo_configured"]);

        (await world.Repos.DeleteAsync("octo/widgets")).ShouldBeTrue();
        (await world.Repos.GetAsync("octo/widgets")).ShouldBeNull();
        (await world.Repos.ListAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_repo_an_earlier_version_kept_in_the_store_is_imported_into_its_grain_on_first_read()
    {
        await using var world = await IntakeWorld.StartAsync();
        var legacy = new RepoActorState(new RepoConfig { Enabled = true, AutoSolve = true }, BudgetLedger.Empty.Record(500, world.Clock.GetUtcNow()));
        await world.Store.Actors.TurnAsync(
            RepoActor.ActorType,
            "octo/legacy",
            _ => new ActorDecision<bool>(JsonSerializer.Serialize(legacy, CoreJson.Options), [], [], true));

        var listed = await world.Repos.ListAsync();

        listed.ShouldHaveSingleItem().Repo.ShouldBe("octo/legacy");
        listed[0].State.Config.AutoSolve.ShouldBeTrue();
        listed[0].State.Ledger.Daily.ShouldBe(legacy.Ledger.Daily);
        var reconfigured = await world.Repos.SetConfigAsync("octo/legacy", new RepoConfig { Enabled = true, AutoSolve = false });
        reconfigured.Ledger.Hourly.ShouldBe(legacy.Ledger.Hourly, "the import kept the ledger the old version had counted");
        (await world.Repos.GetAsync("octo/legacy"))!.Config.AutoSolve.ShouldBeFalse("the grain, not the old row, answers from now on");
    }
}
