using AgentMesh.Core.Tenants;
using AgentMesh.Dashboard.Components.Pages;
using AgentMesh.Dashboard.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentMesh.Dashboard.Components.Tenants;

/// <summary>One tenant on the admins' panel, with its own forms (add a member, move a repo here).</summary>
public sealed partial class TenantPanel
{
    [Parameter, EditorRequired] public TenantSummary Summary { get; set; } = null!;

    /// <summary>Called after a change, so the page reloads every tenant (a move changes two).</summary>
    [Parameter] public EventCallback Changed { get; set; }

    [Inject] private IDashboardTenants Tenants { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private TenantState State => Summary.State;
    private string? Login { get; set; }
    private TenantRole Role { get; set; } = TenantRole.Viewer;
    private string? RepoToMove { get; set; }

    private string BudgetText => State.Budget switch
    {
        { DailyTokens: null, MonthlyCostUsd: null } => "no tenant budget",
        var budget => string.Join(" · ", new[]
        {
            budget.DailyTokens is { } tokens ? $"{Formats.Tokens(tokens)} tokens a day" : null,
            budget.MonthlyCostUsd is { } cost ? $"{Formats.Cost(cost)} a month" : null,
        }.OfType<string>()),
    };

    internal static string RoleName(TenantRole role) => role.ToString().ToLowerInvariant();

    private Task SetMemberAsync() => ApplyAsync(
        () => Tenants.SetMemberAsync(State.Account, Login!.Trim(), Role, CancellationToken.None),
        $"{Login?.Trim()} is now {RoleName(Role)} of {State.Account}.",
        () => Login = null);

    private Task RemoveAsync(string login) => ApplyAsync(
        () => Tenants.RemoveMemberAsync(State.Account, login, CancellationToken.None),
        $"{login} removed from {State.Account}.",
        () => { });

    private Task MoveAsync() => ApplyAsync(
        () => Tenants.MoveRepoAsync(RepoToMove!.Trim(), State.Account, CancellationToken.None),
        $"{RepoToMove?.Trim()} moved to {State.Account}.",
        () => RepoToMove = null);

    private async Task ApplyAsync(Func<Task<TenantActionResult>> change, string done, Action reset)
    {
        if (!await TenantsPage.IsAdminAsync(AuthenticationState, Authorization, Snackbar))
        {
            return;
        }
        var result = await change();
        if (!result.Done)
        {
            Snackbar.Add(result.Error ?? "Refused.", Severity.Error);
            return;
        }
        Snackbar.Add(done, Severity.Success);
        reset();
        await Changed.InvokeAsync();
    }
}
