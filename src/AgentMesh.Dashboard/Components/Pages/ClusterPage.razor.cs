using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Cluster;
using AgentMesh.Dashboard.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;
using MudBlazor;

namespace AgentMesh.Dashboard.Components.Pages;

/// <summary>
/// The cluster's silos as <c>/api/nodes</c> shows them, with slots used and free and the agents each
/// runs, re-read every few seconds; admins also get the link to the Orleans dashboard.
/// </summary>
public sealed partial class ClusterPage : IAsyncDisposable
{
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private IReadOnlyList<ClusterNode> _nodes = [];
    private Task? _refreshing;
    private TenantScope _scope = TenantScope.Everything;

    [Inject] private IClusterView Cluster { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private TenantScopes Scopes { get; set; } = null!;
    [Inject] private ILogger<ClusterPage> Logger { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private bool IsAdmin { get; set; }
    private string? LoadError { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        IsAdmin = (await Authorization.AuthorizeAsync(user, DashboardPolicies.Admin)).Succeeded;
        _scope = await Scopes.ForAsync(user, _stopping.Token);
        await LoadAsync();
        _refreshing = RefreshAsync(_stopping.Token);
    }

    private async Task LoadAsync()
    {
        try
        {
            // Every node shows; a tenant's member sees only its own repositories' agents on them.
            _nodes = [.. (await Cluster.ListAsync(_stopping.Token)).Select(n => n with { Agents = [.. n.Agents.Where(a => _scope.Allows(a.Repo))] })];
            LoadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LoadError = $"The cluster could not be read: {ex.Message}";
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(RefreshInterval, Time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // On the renderer's dispatcher, so the table never changes under a render.
                await InvokeAsync(async () =>
                {
                    await LoadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            DashboardLog.LiveUpdatesStopped(Logger, "the cluster page", ex);
        }
    }

    private static Color StatusColor(ClusterNode node) => node switch
    {
        { Alive: false } => Color.Error,
        { Stopping: true } => Color.Warning,
        { Status: "active" } => Color.Success,
        _ => Color.Default,
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_refreshing is not null)
        {
            await _refreshing;
        }
        _stopping.Dispose();
    }
}
