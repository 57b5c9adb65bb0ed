using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentMesh.Dashboard.Components.Pages;

/// <summary>The admins' tenant panel: tenants with their members, installations, repos, budgets and usage.</summary>
public sealed partial class TenantsPage
{
    [Inject] private IDashboardTenants TenantStore { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    internal IReadOnlyList<TenantSummary>? Tenants { get; private set; }
    private string? NewAccount { get; set; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        Tenants = await TenantStore.ListAsync(CancellationToken.None);
        StateHasChanged();
    }

    private async Task CreateAsync()
    {
        if (!await IsAdminAsync(AuthenticationState, Authorization, Snackbar) || string.IsNullOrWhiteSpace(NewAccount))
        {
            return;
        }
        var result = await TenantStore.CreateAsync(NewAccount.Trim(), CancellationToken.None);
        if (result.Done)
        {
            Snackbar.Add($"Tenant {NewAccount.Trim()} created.", Severity.Success);
            NewAccount = null;
            await LoadAsync();
        }
        else
        {
            Snackbar.Add(result.Error ?? "Refused.", Severity.Error);
        }
    }

    /// <summary>Every change checks the role again: the page's policy guards the navigation, not each message of the circuit.</summary>
    internal static async Task<bool> IsAdminAsync(Task<AuthenticationState> state, IAuthorizationService authorization, ISnackbar snackbar)
    {
        if ((await authorization.AuthorizeAsync((await state).User, DashboardPolicies.Admin)).Succeeded)
        {
            return true;
        }
        snackbar.Add("Only admins change tenants.", Severity.Warning);
        return false;
    }
}
