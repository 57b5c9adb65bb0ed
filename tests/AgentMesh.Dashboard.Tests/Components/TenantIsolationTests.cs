using System.Security.Claims;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Tenants;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Components.Pages;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Dashboard.Tenants;
using AgentMesh.Dashboard.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Components;

/// <summary>A member of one tenant sees and touches only its repos' jobs: board, live changes, job page, actions.</summary>
public sealed class TenantIsolationTests : DashboardContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public TenantIsolationTests()
    {
        Tenants.Add(TenantRules.AssignRepo(new TenantState { Account = "acme" }, "acme/widgets"));
        Tenants.Add(TenantRules.AssignRepo(new TenantState { Account = "globex" }, "globex/tools"));
    }

    [Fact]
    public async Task The_board_of_a_tenant_member_holds_its_repos_only_also_live()
    {
        SignInAs(DashboardRoles.Maintainer, "acme");
        await Seeder.EnqueueAsync("acme/widgets", 1);
        await Seeder.EnqueueAsync("globex/tools", 2);

        var cut = Render<BoardPage>();
        cut.WaitForAssertion(() => Titles(cut).ShouldBe(["acme/widgets#1"]), Wait);

        await Seeder.EnqueueAsync("globex/tools", 3);
        await Seeder.EnqueueAsync("acme/widgets", 4);

        cut.WaitForAssertion(() => Titles(cut).ShouldBe(["acme/widgets#1", "acme/widgets#4"], ignoreOrder: true), Wait);
        cut.Find("[data-testid=board-count]").TextContent.ShouldBe("2 of 2 jobs");
    }

    [Fact]
    public async Task A_tenants_snapshot_is_its_own_newest_jobs_not_crowded_out_by_a_busier_tenant()
    {
        var ours = await Seeder.EnqueueAsync("acme/widgets", 1);
        await Seeder.EnqueueAsync("globex/tools", 2);
        await Seeder.EnqueueAsync("globex/tools", 3);
        await Seeder.EnqueueAsync("globex/tools", 4);

        var scoped = await ScopedJobs.ListAsync(Seeder.Store.Jobs, TenantScope.Of("acme", ["acme/widgets"]), 2, CancellationToken.None);
        var everything = await ScopedJobs.ListAsync(Seeder.Store.Jobs, TenantScope.Everything, 2, CancellationToken.None);

        scoped.Select(j => j.Id).ShouldBe([ours]);
        everything.Select(j => j.Repo).ShouldBe(["globex/tools", "globex/tools"]);
    }

    [Fact]
    public async Task An_admin_sees_every_tenant()
    {
        SignInAs(DashboardRoles.Admin);
        await Seeder.EnqueueAsync("acme/widgets", 1);
        await Seeder.EnqueueAsync("globex/tools", 2);

        var cut = Render<BoardPage>();

        cut.WaitForAssertion(() => Titles(cut).ShouldBe(["acme/widgets#1", "globex/tools#2"], ignoreOrder: true), Wait);
    }

    [Fact]
    public async Task Another_tenants_job_page_answers_as_a_missing_job()
    {
        SignInAs(DashboardRoles.Maintainer, "acme");
        var theirs = await Seeder.EnqueueAsync("globex/tools", 2);

        var cut = Render<JobPage>(p => p.Add(x => x.Id, theirs));

        cut.WaitForAssertion(() => cut.Find("[data-testid=job-missing]").TextContent.ShouldBe($"Job {theirs} does not exist."), Wait);
        cut.FindAll("[data-testid=stop]").ShouldBeEmpty();
        cut.FindAll("[data-testid=job-title]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Actions_on_another_tenants_job_are_refused_before_they_reach_the_node()
    {
        var ours = await Seeder.EnqueueAsync("acme/widgets", 1);
        var theirs = await Seeder.EnqueueAsync("globex/tools", 2);
        var guard = new TenantGuard(Person(DashboardRoles.Maintainer, "acme"), new TenantScopes(Tenants), Seeder.Store);
        var actions = new TenantGuardedJobActions(Actions, guard);
        var creation = new TenantGuardedJobCreation(Creation, guard);

        (await actions.StopAsync(theirs, "a", CancellationToken.None)).ShouldBe(JobActionResult.Refused($"Job {theirs} does not exist."));
        (await actions.CloseAsync(theirs, "a", CancellationToken.None)).Done.ShouldBeFalse();
        (await actions.SendMessageAsync(theirs, "a", "hi", false, CancellationToken.None)).Done.ShouldBeFalse();
        (await actions.RetryAsync("no-such-job", "a", CancellationToken.None)).Error.ShouldBe("Job no-such-job does not exist.");
        (await creation.WithNewIssueAsync("globex/tools", "t", null, "a", CancellationToken.None)).Error.ShouldBe("Repo globex/tools is not one of your tenant's repos.");
        Actions.Calls.ShouldBeEmpty();
        Creation.Calls.ShouldBeEmpty();

        (await actions.StopAsync(ours, "a", CancellationToken.None)).Done.ShouldBeTrue();
        Actions.Calls.ShouldBe([$"stop {ours} by a"]);
        var admin = new TenantGuardedJobActions(Actions, new TenantGuard(Person(DashboardRoles.Admin, null), new TenantScopes(Tenants), Seeder.Store));
        (await admin.StopAsync(theirs, "root", CancellationToken.None)).Done.ShouldBeTrue();
    }

    private static FixedState Person(string role, string? tenant)
    {
        List<Claim> claims = [new(ClaimTypes.Name, "p"), new(ClaimTypes.Role, role)];
        if (tenant is not null)
        {
            claims.Add(new(DashboardClaims.Tenant, tenant));
        }
        return new FixedState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")));
    }

    private static List<string> Titles(IRenderedComponent<BoardPage> cut) =>
        [.. cut.FindAll("[data-testid=job-card] a").Select(a => a.TextContent.Trim())];

    private sealed class FixedState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
