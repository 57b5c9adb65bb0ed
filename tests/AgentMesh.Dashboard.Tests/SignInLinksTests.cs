using AgentMesh.Dashboard.Auth;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests;

public sealed class SignInLinksTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_link_signs_in_once_with_its_role()
    {
        var links = new SignInLinks(_time);
        var token = links.Issue(DashboardRoles.Viewer, "vera", TimeSpan.FromHours(1));

        token.Length.ShouldBe(64);
        links.Redeem(token).ShouldBe(new SignInGrant(DashboardRoles.Viewer, "vera"));
        links.Redeem(token).ShouldBeNull();
    }

    [Fact]
    public void A_link_made_for_a_tenant_signs_in_to_that_tenant_only()
    {
        var links = new SignInLinks(_time);

        links.Redeem(links.Issue(DashboardRoles.Maintainer, "mia", TimeSpan.FromHours(1), "acme")).ShouldBe(new SignInGrant(DashboardRoles.Maintainer, "mia", "acme"));
        links.Redeem(links.Issue(DashboardRoles.Maintainer, "max", TimeSpan.FromHours(1), " ")).ShouldBe(new SignInGrant(DashboardRoles.Maintainer, "max"));
    }

    [Fact]
    public void Unknown_altered_empty_and_expired_tokens_grant_nothing()
    {
        var links = new SignInLinks(_time);
        var token = links.Issue(DashboardRoles.Admin, "console", TimeSpan.FromMinutes(5));
        var altered = (token[0] == 'a' ? "b" : "a") + token[1..];

        links.Redeem(altered).ShouldBeNull();
        links.Redeem(token[..^1]).ShouldBeNull();
        links.Redeem("").ShouldBeNull();
        links.Redeem(null).ShouldBeNull();
        _time.Advance(TimeSpan.FromMinutes(5));
        links.Redeem(token).ShouldBeNull();
    }

    [Fact]
    public void Each_link_is_its_own_and_a_role_must_be_known()
    {
        var links = new SignInLinks(_time);
        var first = links.Issue(DashboardRoles.Admin, "a", TimeSpan.FromHours(1));
        var second = links.Issue(DashboardRoles.Maintainer, "m", TimeSpan.FromHours(1));

        first.ShouldNotBe(second);
        links.Redeem(second).ShouldBe(new SignInGrant(DashboardRoles.Maintainer, "m"));
        links.Redeem(first).ShouldBe(new SignInGrant(DashboardRoles.Admin, "a"));
        Should.Throw<ArgumentOutOfRangeException>(() => links.Issue("owner", "o", TimeSpan.FromHours(1)));
    }
}
