using System.Security.Claims;
using AgentMesh.Core.Repos;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Repos;
using AgentMesh.Dashboard.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentMesh.Dashboard.Components.Pages;

/// <summary>
/// The configured repositories with their status and token use; for admins and maintainers, the
/// settings editor, enable/disable, and connecting a repository the node's GitHub identity can see.
/// </summary>
public sealed partial class ReposPage : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private List<RepoSummary> _repos = [];
    private ConnectableRepos? _connectable;
    private bool _loaded;
    private bool _connecting;
    private bool _busy;
    private string? _editing;
    private RepoConfigForm? _form;
    private ClaimsPrincipal _user = new();
    private TenantScope _scope = TenantScope.Everything;

    [Inject] private IRepoSettings Settings { get; set; } = null!;
    [Inject] private IRepoConnector Connector { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private TenantScopes Scopes { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private bool CanEdit { get; set; }

    /// <summary>
    /// Connecting is for people who see every repository: what the bot can see spans tenants, and a
    /// connected repository belongs to no tenant until an admin moves it into one.
    /// </summary>
    private bool CanConnect => CanEdit && !_scope.IsRestricted;
    private string? LoadError { get; set; }
    private string? EditError { get; set; }
    private string? ConnectMessage { get; set; }
    private bool ConnectSucceeded { get; set; }
    private string WebhookAddress { get; set; } = "";

    protected override async Task OnInitializedAsync()
    {
        _user = (await AuthenticationState).User;
        CanEdit = (await Authorization.AuthorizeAsync(_user, DashboardPolicies.Act)).Succeeded;
        _scope = await Scopes.ForAsync(_user, _stopping.Token);
        // GitHub delivers to this node's own webhook endpoint unless the person names another (a proxy, a tunnel).
        WebhookAddress = Navigation.ToAbsoluteUri("/webhooks/github").AbsoluteUri;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            // A tenant's member sees its repositories only.
            _repos = [.. (await Settings.ListAsync(_stopping.Token)).Where(r => _scope.Allows(r.Repo))];
            LoadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LoadError = $"The repositories could not be read: {ex.Message}";
        }
        _loaded = true;
    }

    private void Edit(RepoSummary repo)
    {
        _editing = repo.Repo;
        _form = RepoConfigForm.From(repo.Config);
        EditError = null;
    }

    private void CancelEdit()
    {
        _editing = null;
        _form = null;
        EditError = null;
    }

    internal async Task SaveAsync()
    {
        if (_editing is not { } repo || _form is not { } form || !await MayEditAsync(repo))
        {
            return;
        }
        await RunAsync(async () =>
        {
            var result = await Settings.SaveAsync(repo, form.ToConfig(), ActorName, _stopping.Token);
            if (result.Done)
            {
                Snackbar.Add($"Saved the settings of {repo}.", Severity.Success);
                CancelEdit();
                await LoadAsync();
            }
            else
            {
                EditError = result.Error ?? "Refused.";
            }
        });
    }

    internal async Task ToggleAsync(RepoSummary repo)
    {
        if (!await MayEditAsync(repo.Repo))
        {
            return;
        }
        var enable = !repo.Config.Enabled;
        await RunAsync(async () =>
        {
            var result = await Settings.SetEnabledAsync(repo.Repo, enable, ActorName, _stopping.Token);
            Snackbar.Add(result.Done ? $"{repo.Repo} {(enable ? "enabled" : "disabled")}." : result.Error ?? "Refused.", result.Done ? Severity.Success : Severity.Error);
            await LoadAsync();
        });
    }

    internal async Task OpenConnectAsync()
    {
        if (!await MayConnectAsync())
        {
            return;
        }
        _connecting = true;
        _connectable = null;
        ConnectMessage = null;
        StateHasChanged();
        _connectable = await ListConnectableAsync();
    }

    /// <summary>What GitHub shows the node, or why it could not be asked (unreachable, refused).</summary>
    private async Task<ConnectableRepos> ListConnectableAsync()
    {
        try
        {
            return await Connector.ListAsync(_stopping.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ConnectableRepos([], $"GitHub could not be asked for repositories: {ex.Message}");
        }
    }

    internal async Task ConnectAsync(string repo)
    {
        if (!await MayConnectAsync())
        {
            return;
        }
        if (!Uri.TryCreate(WebhookAddress, UriKind.Absolute, out var webhook))
        {
            ConnectSucceeded = false;
            ConnectMessage = $"The webhook address must be an absolute URL (was '{WebhookAddress}').";
            return;
        }
        await RunAsync(async () =>
        {
            RepoConnectResult result;
            try
            {
                result = await Connector.ConnectAsync(repo, webhook, ActorName, _stopping.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // GitHub unreachable or the store failing: said on the page, the circuit lives on.
                result = RepoConnectResult.Refused($"Connecting {repo} failed: {ex.Message}");
            }
            ConnectSucceeded = result.Done;
            ConnectMessage = result.Done
                ? $"Connected {repo}: webhook {result.HookId} delivers to {webhook}{(result.InvitationAccepted ? "; the invitation was accepted" : "")}."
                : result.Error ?? "Refused.";
            await LoadAsync();
            _connectable = await ListConnectableAsync();
        });
    }

    /// <summary>One change at a time: the buttons are disabled while it runs; a failure is said, not thrown at the circuit.</summary>
    private async Task RunAsync(Func<Task> change)
    {
        _busy = true;
        try
        {
            await change();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Snackbar.Add($"That failed: {ex.Message}", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private string ActorName => _user.Identity?.Name ?? "dashboard";

    /// <summary>Every action checks the role and the tenant again: a hidden button is no permission.</summary>
    private async Task<bool> MayEditAsync(string? repo = null)
    {
        if (!(await Authorization.AuthorizeAsync(_user, DashboardPolicies.Act)).Succeeded)
        {
            Snackbar.Add("Your role can see repositories but not change them.", Severity.Warning);
            return false;
        }
        // Read again, so a repository moved out of the person's tenant since the page opened is refused.
        _scope = await Scopes.ForAsync(_user, _stopping.Token);
        if (repo is not null && !_scope.Allows(repo))
        {
            Snackbar.Add($"Repo {repo} is not one of your tenant's repos.", Severity.Warning);
            return false;
        }
        return true;
    }

    private async Task<bool> MayConnectAsync()
    {
        if (!await MayEditAsync())
        {
            return false;
        }
        if (_scope.IsRestricted)
        {
            Snackbar.Add("Connecting a repository is for admins and people without a tenant.", Severity.Warning);
            return false;
        }
        return true;
    }

    private static string Limit(long? budget) => budget is { } limit ? $" of {Formats.Tokens(limit)}" : "";

    private static string Triggers(RepoConfig config) => string.Join(", ", new[]
    {
        config.AutoSolve ? "every new issue" : null,
        config.TriggerLabel is { } label ? $"label {label}" : null,
        config.TriggerMention,
    }.OfType<string>());

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
