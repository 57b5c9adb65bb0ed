using System.Security.Claims;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Dashboard.Tenants;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Support;

/// <summary>
/// A bUnit context with the dashboard's real services over a real SQLite store: the real role policies,
/// MudBlazor; the job feed is the seeder's in-memory one, and job actions are recorded instead of sent.
/// </summary>
public abstract class DashboardContext : BunitContext, IAsyncLifetime
{
    private JobSeeder? _seeder;

    internal JobSeeder Seeder => _seeder ?? throw new InvalidOperationException("InitializeAsync has not run.");

    internal RecordingJobActions Actions { get; } = new();

    internal RecordingJobCreation Creation { get; } = new();

    internal FakeTenants Tenants { get; } = new();

    public async Task InitializeAsync()
    {
        _seeder = await JobSeeder.StartAsync();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Seeder.Store);
        Services.AddSingleton<IJobFeed>(Seeder.Feed);
        Services.AddSingleton<IJobActions>(Actions);
        Services.AddSingleton<IJobCreation>(Creation);
        Services.AddSingleton<IDashboardTenants>(Tenants);
        Services.AddSingleton<TenantScopes>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(new DashboardOptions { GitHubWebAddress = new Uri("https://github.example/") });
        Services.AddSingleton(new SignInLinks(TimeProvider.System));
        Services.AddDashboardPolicies();
        // bUnit registers placeholders first; the real services evaluate the dashboard's real policies.
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddCascadingAuthenticationState();
        SignInAs(DashboardRoles.Maintainer);
    }

    /// <summary>The person the rendered components see; with <paramref name="tenant"/>, a member of that tenant only.</summary>
    protected void SignInAs(string role, string? tenant = null)
    {
        List<Claim> claims = [new Claim(ClaimTypes.Name, $"a-{role}"), new Claim(ClaimTypes.Role, role)];
        if (tenant is not null)
        {
            claims.Add(new Claim(DashboardClaims.Tenant, tenant));
        }
        Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test"))));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_seeder is not null)
        {
            await _seeder.DisposeAsync();
        }
    }

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
