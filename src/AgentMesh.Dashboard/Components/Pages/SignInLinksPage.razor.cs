using System.Security.Claims;
using AgentMesh.Dashboard.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AgentMesh.Dashboard.Components.Pages;

/// <summary>Admins make one-time sign-in links for other people, with a role.</summary>
public sealed partial class SignInLinksPage
{
    [Inject] private SignInLinks Links { get; set; } = null!;
    [Inject] private DashboardOptions Options { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private AgentMesh.Dashboard.Tenants.IDashboardTenants Tenants { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private string? Name { get; set; }
    private string Role { get; set; } = DashboardRoles.Viewer;
    private string? Link { get; set; }
    private string? LinkFor { get; set; }
    private string? Tenant { get; set; }
    private IReadOnlyList<string> TenantAccounts { get; set; } = [];

    protected override async Task OnInitializedAsync() =>
        TenantAccounts = [.. (await Tenants.ListAsync(CancellationToken.None)).Select(t => t.State.Account)];

    private async Task CreateAsync()
    {
        ClaimsPrincipal user = (await AuthenticationState).User;
        if (!(await Authorization.AuthorizeAsync(user, DashboardPolicies.Admin)).Succeeded || string.IsNullOrWhiteSpace(Name))
        {
            return;
        }
        var token = Links.Issue(Role, Name.Trim(), Options.InviteLinkLifetime, Tenant);
        Link = $"{Navigation.BaseUri.TrimEnd('/')}{SignInEndpoints.LocalPath}#{token}";
        LinkFor = Tenant is null ? $"{Name.Trim()} ({Role})" : $"{Name.Trim()} ({Role} of {Tenant})";
    }
}
