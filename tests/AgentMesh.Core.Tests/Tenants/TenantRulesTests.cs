using AgentMesh.Core.Tenants;
using Shouldly;

namespace AgentMesh.Core.Tests.Tenants;

public sealed class TenantRulesTests
{
    private static readonly TenantState Acme = new() { Account = "acme" };

    [Fact]
    public void An_installation_brings_its_repos_and_a_redelivery_changes_nothing()
    {
        var once = TenantRules.AddInstallation(Acme, 11, ["acme/widgets", "acme/api"]);
        var twice = TenantRules.AddInstallation(once, 11, ["acme/widgets", "ACME/api"]);

        twice.Installations.ShouldBe([11L]);
        twice.Repos.ShouldBe([new TenantRepo("acme/api", 11), new TenantRepo("acme/widgets", 11)]);
        twice.OwnsRepo("Acme/Widgets").ShouldBeTrue();
    }

    [Fact]
    public void Removing_an_installation_removes_only_its_repos()
    {
        var state = TenantRules.AddInstallation(TenantRules.AddInstallation(Acme, 11, ["acme/widgets"]), 12, ["acme/api"]);

        var after = TenantRules.RemoveInstallation(state, 11);

        after.Installations.ShouldBe([12L]);
        after.Repos.ShouldBe([new TenantRepo("acme/api", 12)]);
    }

    [Fact]
    public void Repos_are_added_only_to_a_known_installation_and_removed_by_name()
    {
        Should.Throw<TenantRuleException>(() => TenantRules.AddRepos(Acme, 99, ["acme/x"]))
            .Message.ShouldBe("Tenant acme has no installation 99.");
        Should.Throw<ArgumentException>(() => TenantRules.AddInstallation(Acme, 11, ["widgets"]))
            .Message.ShouldStartWith("Repo must be \"owner/name\" (was \"widgets\").");

        var state = TenantRules.AddInstallation(Acme, 11, ["acme/widgets", "acme/api"]);
        TenantRules.RemoveRepos(state, ["ACME/WIDGETS", "acme/unknown"]).Repos.ShouldBe([new TenantRepo("acme/api", 11)]);
    }

    [Fact]
    public void Members_are_set_case_insensitively_and_the_last_admin_stays()
    {
        var state = TenantRules.SetMember(TenantRules.SetMember(Acme, "Alice", TenantRole.Admin), "bob", TenantRole.Member);

        state.Members.ShouldBe([new TenantMember("Alice", TenantRole.Admin), new TenantMember("bob", TenantRole.Member)]);
        Should.Throw<TenantRuleException>(() => TenantRules.SetMember(state, "alice", TenantRole.Member))
            .Message.ShouldBe("Cannot demote Alice: tenant acme needs at least one admin.");
        Should.Throw<TenantRuleException>(() => TenantRules.RemoveMember(state, "ALICE"))
            .Message.ShouldBe("Cannot remove Alice: tenant acme needs at least one admin.");

        var twoAdmins = TenantRules.SetMember(state, "BOB", TenantRole.Admin);
        twoAdmins.FindMember("bob").ShouldBe(new TenantMember("bob", TenantRole.Admin));
        TenantRules.RemoveMember(twoAdmins, "alice").Members.ShouldBe([new TenantMember("bob", TenantRole.Admin)]);
        TenantRules.RemoveMember(twoAdmins, "nobody").ShouldBeSameAs(twoAdmins);
    }

    [Fact]
    public void Budgets_are_validated_with_exact_messages()
    {
        TenantRules.SetBudget(Acme, new TenantBudget(1_000_000, 250m)).Budget.ShouldBe(new TenantBudget(1_000_000, 250m));
        Should.Throw<InvalidConfigurationException>(() => TenantRules.SetBudget(Acme, new TenantBudget(0, -1m))).Message.ShouldBe(
            "TenantBudget is invalid: DailyTokens must be positive or null for unlimited (was 0). MonthlyCostUsd must be positive or null for unlimited (was -1).");
    }
}
