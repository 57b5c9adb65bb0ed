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
    public void Repos_an_installation_no_longer_grants_leave_but_not_those_held_otherwise()
    {
        var state = TenantRules.AssignRepo(
            TenantRules.AddInstallation(TenantRules.AddInstallation(Acme, 11, ["acme/widgets", "acme/api"]), 12, ["acme/docs"]),
            "acme/tools");

        var after = TenantRules.RemoveInstallationRepos(state, 11, ["ACME/widgets", "acme/docs", "acme/tools", "acme/unknown"]);

        after.Installations.ShouldBe([11L, 12L]);
        after.Repos.ShouldBe([new TenantRepo("acme/api", 11), new TenantRepo("acme/docs", 12), new TenantRepo("acme/tools", TenantRepo.ByHand)]);
        TenantRules.RemoveInstallationRepos(after, 11, ["acme/widgets"]).ShouldBeSameAs(after, "a redelivered removal changes nothing, so nothing is written");
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
        var state = TenantRules.SetMember(TenantRules.SetMember(Acme, "Alice", TenantRole.Admin), "bob", TenantRole.Maintainer);

        state.Members.ShouldBe([new TenantMember("Alice", TenantRole.Admin), new TenantMember("bob", TenantRole.Maintainer)]);
        Should.Throw<TenantRuleException>(() => TenantRules.SetMember(state, "alice", TenantRole.Maintainer))
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

public sealed class TenantAssignmentTests
{
    private static readonly TenantState Acme = TenantRules.AddInstallation(new TenantState { Account = "acme" }, 11, ["acme/widgets"]);

    [Fact]
    public void An_assigned_repo_keeps_a_known_installation_else_is_held_by_hand_and_a_repeat_changes_nothing()
    {
        var kept = TenantRules.AssignRepo(Acme, "acme/api", 11);
        kept.Repos.ShouldBe([new TenantRepo("acme/api", 11), new TenantRepo("acme/widgets", 11)]);
        var byHand = TenantRules.AssignRepo(Acme, "other/tool", 99);
        byHand.Repos.ShouldContain(new TenantRepo("other/tool", TenantRepo.ByHand));
        TenantRules.AssignRepo(byHand, "OTHER/tool").ShouldBeSameAs(byHand);
        Should.Throw<ArgumentException>(() => TenantRules.AssignRepo(Acme, "tool")).Message.ShouldStartWith("Repo must be \"owner/name\" (was \"tool\").");
    }

    [Fact]
    public void Sign_in_takes_the_member_entry_then_the_own_account_then_the_organisation()
    {
        var acme = TenantRules.SetMember(new TenantState { Account = "acme" }, "alice", TenantRole.Maintainer);
        var globex = new TenantState { Account = "globex" };
        var bob = new TenantState { Account = "bob" };
        TenantState[] all = [acme, globex, bob];

        TenantAccess.Decide(all, "ALICE", []).ShouldBe(new TenantAccess("acme", TenantRole.Maintainer));
        TenantAccess.Decide(all, "alice", ["globex"]).ShouldBe(new TenantAccess("acme", TenantRole.Maintainer));
        TenantAccess.Decide(all, "carol", ["globex"]).ShouldBe(new TenantAccess("globex", TenantRole.Viewer));
        TenantAccess.Decide(all, "bob", ["acme"]).ShouldBe(new TenantAccess("bob", TenantRole.Admin));
        TenantAccess.Decide(all, "dave", ["initech"]).ShouldBeNull();
    }
}
