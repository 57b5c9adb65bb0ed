using AgentMesh.Core.Tenants;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Components.Pages;
using AgentMesh.Dashboard.Tests.Support;
using Bunit;
using MudBlazor;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Components;

public sealed class TenantsPageTests : DashboardContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public TenantsPageTests()
    {
        var acme = TenantRules.SetMember(TenantRules.AddInstallation(new TenantState { Account = "acme" }, 11, ["acme/widgets", "acme/api"]), "alice", TenantRole.Admin);
        Tenants.Add(TenantRules.SetBudget(acme, new TenantBudget(2_000_000, null)));
        Tenants.Add(new TenantState { Account = "globex" });
    }

    [Fact]
    public void Each_tenant_shows_members_repos_installations_budget_and_usage()
    {
        SignInAs(DashboardRoles.Admin);

        var cut = Render<TenantsPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=tenant]").Select(t => t.GetAttribute("data-tenant")).ShouldBe(["acme", "globex"]), Wait);
        var acme = cut.Find("[data-tenant=acme]");
        acme.QuerySelector("[data-testid=tenant-member]")!.TextContent.ShouldContain("alice");
        acme.QuerySelector("[data-testid=tenant-member]")!.TextContent.ShouldContain("admin");
        acme.QuerySelectorAll("[data-testid=tenant-repo]").Select(r => r.TextContent).ShouldBe(["acme/api installation 11", "acme/widgets installation 11"]);
        acme.QuerySelector("[data-testid=tenant-installations]")!.TextContent.ShouldBe("11");
        acme.QuerySelector("[data-testid=tenant-usage]")!.TextContent.ShouldBe("1,234 tokens today of 2,000,000");
        acme.QuerySelector("[data-testid=tenant-budget]")!.TextContent.ShouldBe("2,000,000 tokens a day");
    }

    [Fact]
    public void An_admin_creates_a_tenant_adds_a_member_and_moves_a_repo_to_it()
    {
        SignInAs(DashboardRoles.Admin);
        var cut = Render<TenantsPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=tenant]").Count.ShouldBe(2), Wait);

        cut.Find("[data-testid=tenant-account] input, input[data-testid=tenant-account]").Input("initech");
        cut.Find("[data-testid=tenant-create]").Click();
        cut.WaitForAssertion(() => cut.FindAll("[data-tenant=initech]").ShouldHaveSingleItem(), Wait);

        cut.Find("[data-tenant=initech] input[data-testid=tenant-member-login], [data-tenant=initech] [data-testid=tenant-member-login] input").Input("peter");
        cut.Find("[data-tenant=initech] [data-testid=tenant-member-set]").Click();
        cut.WaitForAssertion(() => Tenants.Get("initech")!.Members.ShouldBe([new TenantMember("peter", TenantRole.Viewer)]), Wait);

        cut.Find("[data-tenant=initech] input[data-testid=tenant-repo-name], [data-tenant=initech] [data-testid=tenant-repo-name] input").Input("acme/api");
        cut.Find("[data-tenant=initech] [data-testid=tenant-repo-move]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-tenant=initech] [data-testid=tenant-repo]").TextContent.ShouldBe("acme/api assigned by hand"), Wait);
        Tenants.Get("acme")!.OwnsRepo("acme/api").ShouldBeFalse();
    }

    [Fact]
    public void Removing_the_last_admin_is_refused_with_the_reason()
    {
        SignInAs(DashboardRoles.Admin);
        var cut = Render<TenantsPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-tenant=acme] [data-testid=tenant-member-remove]").ShouldHaveSingleItem(), Wait);

        cut.Find("[data-tenant=acme] [data-testid=tenant-member-remove]").Click();

        cut.WaitForAssertion(() => Services.GetService<ISnackbar>()!.ShownSnackbars.Select(s => s.Message).ShouldBe(["Cannot remove alice: tenant acme needs at least one admin."]), Wait);
        Tenants.Get("acme")!.Members.Count.ShouldBe(1);
    }
}
