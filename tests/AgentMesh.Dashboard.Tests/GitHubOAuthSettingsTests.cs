using AgentMesh.Core.Tenants;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Tests.Support;
using AgentMesh.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests;

public sealed class GitHubOAuthSettingsTests
{
    [Fact]
    public void Client_id_and_secret_go_together()
    {
        new GitHubOAuthOptions { ClientId = "Iv1.x" }.Validate().ShouldBe(
            ["Dashboard:GitHubOAuth:ClientId and Dashboard:GitHubOAuth:ClientSecret go together: set both for GitHub sign-in, or neither."]);
        new GitHubOAuthOptions().Validate().ShouldBeEmpty();
        new GitHubOAuthOptions { ClientId = "Iv1.x", ClientSecret = "s" }.Enabled.ShouldBeTrue();
    }

    [Fact]
    public void A_client_secret_in_a_settings_file_stops_the_node_naming_the_file_but_not_the_secret()
    {
        using var directory = new TempDirectory("agentmesh-oauth-settings");
        var file = directory.Combine("appsettings.json");
        File.WriteAllText(file, "{\"Dashboard\":{\"GitHubOAuth\":{\"ClientId\":\"Iv1.x\",\"ClientSecret\":\"do-not-print-me\"}}}");
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddJsonFile(file);

        var refused = Should.Throw<InvalidOperationException>(() => builder.AddAgentMeshDashboard<RecordingJobActions, RecordingJobCreation, FakeTenants>());

        refused.Message.ShouldBe($"Dashboard:GitHubOAuth:ClientSecret is in {file}: set it in the environment (AGENTMESH_Dashboard__GitHubOAuth__ClientSecret) only.");
        refused.Message.ShouldNotContain("do-not-print-me");
    }

    [Theory]
    [InlineData(TenantRole.Viewer, DashboardRoles.Viewer)]
    [InlineData(TenantRole.Maintainer, DashboardRoles.Maintainer)]
    [InlineData(TenantRole.Admin, DashboardRoles.Maintainer)]
    public void A_tenant_role_signs_in_as_a_dashboard_role_of_that_tenant_only(TenantRole role, string dashboardRole) =>
        GitHubOAuthSignIn.RoleFor(role).ShouldBe(dashboardRole);
}
