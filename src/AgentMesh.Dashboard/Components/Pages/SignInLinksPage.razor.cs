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

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private string? Name { get; set; }
    private string Role { get; set; } = DashboardRoles.Viewer;
    private string? Link { get; set; }
    private string? LinkFor { get; set; }

    private async Task CreateAsync()
    {
        ClaimsPrincipal user = (await AuthenticationState).User;
        if (!(await Authorization.AuthorizeAsync(user, DashboardPolicies.Admin)).Succeeded || string.IsNullOrWhiteSpace(Name))
        {
            return;
        }
        var token = Links.Issue(Role, Name.Trim(), Options.InviteLinkLifetime);
        Link = $"{Navigation.BaseUri.TrimEnd('/')}{SignInEndpoints.LocalPath}#{token}";
        LinkFor = $"{Name.Trim()} ({Role})";
    }
}
