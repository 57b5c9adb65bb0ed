using System.Security.Claims;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Dashboard.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentMesh.Dashboard.Components.Board;

/// <summary>
/// Starts a job by hand (maintainers and admins). The repo is checked against the person's tenant here and again
/// by the guarded <see cref="IJobCreation"/>; the card then appears through the board's own feed.
/// </summary>
public sealed partial class CreateJobDialog
{
    private static readonly DialogOptions DialogOptions = new() { MaxWidth = MaxWidth.Medium, CloseOnEscapeKey = true };

    private ClaimsPrincipal _user = new();
    private TenantScope _scope = TenantScope.Everything;

    [Inject] private IJobCreation Creation { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private TenantScopes Scopes { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    internal bool Visible { get; set; }
    private bool CanCreate { get; set; }
    private bool Busy { get; set; }
    private string? IssueAddress { get; set; }
    private string? Repo { get; set; }
    private string? Title { get; set; }
    private string? Body { get; set; }
    private string? Error { get; set; }
    private string? RepoHint => _scope.Tenant is { } tenant ? $"A repo of {tenant}." : null;

    protected override async Task OnInitializedAsync()
    {
        _user = (await AuthenticationState).User;
        CanCreate = (await Authorization.AuthorizeAsync(_user, DashboardPolicies.Act)).Succeeded;
        _scope = await Scopes.ForAsync(_user, CancellationToken.None);
    }

    private void Open()
    {
        Error = null;
        Visible = true;
    }

    private void Close() => Visible = false;

    private async Task FromIssueAsync()
    {
        if (!IssueReference.TryParse(IssueAddress, out var issue, out var problem))
        {
            Error = problem;
            return;
        }
        await RunAsync(issue.Repo, () => Creation.FromIssueAsync(issue.Repo, issue.Number, ActorName, CancellationToken.None));
    }

    private async Task WithNewIssueAsync()
    {
        var repo = Repo?.Trim() ?? "";
        await RunAsync(repo, () => Creation.WithNewIssueAsync(repo, Title!.Trim(), Body, ActorName, CancellationToken.None));
    }

    private async Task RunAsync(string repo, Func<Task<JobCreationResult>> create)
    {
        // Checked again here, not only by hiding the button: the circuit's messages are the browser's to forge.
        if (!(await Authorization.AuthorizeAsync(_user, DashboardPolicies.Act)).Succeeded)
        {
            Error = "Your role can watch jobs but not start them.";
            return;
        }
        if (!_scope.Allows(repo))
        {
            Error = $"Repo {repo} is not one of your tenant's repos.";
            return;
        }
        Busy = true;
        try
        {
            var result = await create();
            if (!result.Done)
            {
                Error = result.Error;
                return;
            }
            Snackbar.Add($"Job for {repo}#{result.Number} created.", Severity.Success);
            IssueAddress = Repo = Title = Body = Error = null;
            Visible = false;
        }
        finally
        {
            Busy = false;
        }
    }

    private string ActorName => _user.Identity?.Name ?? "dashboard";
}
