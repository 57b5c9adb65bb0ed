using AgentMesh.Core.Tenants;
using AgentMesh.Grains.Abstractions.Tenants;
using AgentMesh.Server.Tenants;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;
using Shouldly;
using Xunit;

namespace AgentMesh.Grains.Tests;

/// <summary>The tenant grain on a real cluster: Core's rules, refusals as answers, a directory, and state that outlives activations.</summary>
public sealed class TenantGrainTests
{
    [Fact]
    public async Task A_tenant_keeps_members_and_refuses_losing_its_last_admin_across_reactivation()
    {
        await using var cluster = await PostgresCluster.StartAsync(2, _ => { }, TimeSpan.FromMinutes(1));
        var acme = cluster.Client.GetGrain<ITenantGrain>(TenantKeys.For("Acme"));

        (await acme.GetAsync()).ShouldBeNull("a tenant exists only once created");
        (await acme.SetMemberAsync("alice", TenantRole.Admin)).Error.ShouldBe("Tenant acme does not exist.");
        (await acme.CreateAsync()).Account.ShouldBe("acme");
        (await acme.SetMemberAsync("alice", TenantRole.Admin)).Done.ShouldBeTrue();
        (await acme.SetMemberAsync("bob", TenantRole.Viewer)).Done.ShouldBeTrue();
        (await acme.AddInstallationAsync(11, ["acme/widgets"])).Done.ShouldBeTrue();
        (await acme.SetBudgetAsync(new TenantBudget(1_000_000, null))).Done.ShouldBeTrue();
        (await acme.CreateAsync()).Members.Count.ShouldBe(2, "a repeated create changes nothing");

        var refused = await acme.RemoveMemberAsync("ALICE");
        refused.Error.ShouldBe("Cannot remove alice: tenant acme needs at least one admin.");
        (await acme.SetBudgetAsync(new TenantBudget(0, null))).Error.ShouldBe("TenantBudget is invalid: DailyTokens must be positive or null for unlimited (was 0).");

        // Every activation is collected: what is read next comes from storage.
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var stored = await cluster.Client.GetGrain<ITenantGrain>("acme").GetAsync();
        stored.ShouldNotBeNull();
        stored.Members.ShouldBe([new TenantMember("alice", TenantRole.Admin), new TenantMember("bob", TenantRole.Viewer)]);
        stored.Repos.ShouldBe([new TenantRepo("acme/widgets", 11)]);
        stored.Installations.ShouldBe([11L]);
        stored.Budget.ShouldBe(new TenantBudget(1_000_000, null));
        (await cluster.Client.GetGrain<ITenantDirectoryGrain>(0).ListAsync()).ShouldBe(["acme"]);
    }

    [Fact]
    public async Task A_repo_moves_between_tenants_keeping_an_installation_the_target_has()
    {
        await using var cluster = await PostgresCluster.StartAsync(2, _ => { }, TimeSpan.FromMinutes(1));
        var tenants = new TenantService(cluster.Client, NullLogger<TenantService>.Instance);
        (await tenants.CreateAsync("globex")).Done.ShouldBeTrue();
        (await tenants.CreateAsync("acme")).Done.ShouldBeTrue();
        (await tenants.CreateAsync("not a login")).Error.ShouldBe(
            "A tenant is a GitHub account or organisation login: letters, digits and single hyphens, at most 39 characters (was 'not a login').");
        (await cluster.Client.GetGrain<ITenantGrain>("acme").AddInstallationAsync(11, ["acme/widgets", "acme/api"])).Done.ShouldBeTrue();

        var moved = await tenants.MoveRepoAsync("acme/widgets", "Globex");

        moved.Done.ShouldBeTrue();
        moved.State!.Repos.ShouldBe([new TenantRepo("acme/widgets", TenantRepo.ByHand)], "globex has no installation 11");
        (await tenants.GetAsync("acme"))!.Repos.ShouldBe([new TenantRepo("acme/api", 11)]);
        (await tenants.FindOwnerAsync("ACME/widgets"))!.Account.ShouldBe("globex");
        (await tenants.ListAsync()).Select(t => t.Account).ShouldBe(["acme", "globex"]);
        (await tenants.MoveRepoAsync("acme/widgets", "initech")).Error.ShouldBe("Tenant initech does not exist.");
        (await tenants.MoveRepoAsync("widgets", "acme")).Error.ShouldBe("Repo must be \"owner/name\" (was \"widgets\").");
    }
}
