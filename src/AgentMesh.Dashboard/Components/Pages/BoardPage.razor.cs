using System.Security.Claims;
using AgentMesh.Core.Jobs;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Dashboard.Tenants;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;
using MudBlazor;

namespace AgentMesh.Dashboard.Components.Pages;

/// <summary>
/// The board: one column per job state, cards that move as jobs change. Subscribes first, loads the
/// snapshot when the subscription reports itself live, then applies each change by re-reading that job.
/// </summary>
public sealed partial class BoardPage : IAsyncDisposable
{
    /// <summary>The newest jobs the board holds; older ones are the admin API's to page through.</summary>
    public const int SnapshotLimit = 500;

    /// <summary>How often elapsed times are redrawn when nothing else changes.</summary>
    private static readonly TimeSpan ClockTick = TimeSpan.FromSeconds(5);

    internal static readonly IReadOnlyList<JobState> Columns = Enum.GetValues<JobState>();

    private readonly Dictionary<string, JobCard> _cards = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private MudDropContainer<JobCard>? _container;
    private Task? _listening;
    private ITimer? _clock;
    private long _revision;
    private ClaimsPrincipal _user = new();
    private TenantScope _scope = TenantScope.Everything;

    [Inject] private IJobFeed Feed { get; set; } = null!;
    [Inject] private IAgentMeshStore Store { get; set; } = null!;
    [Inject] private IJobActions Actions { get; set; } = null!;
    [Inject] private TenantScopes Scopes { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private ILogger<BoardPage> Logger { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private string? RepoFilter { get; set; }
    private JobState? StateFilter { get; set; }
    private string? TextFilter { get; set; }
    private bool CanMove { get; set; }
    private string? FeedError { get; set; }
    private DateTimeOffset Now => Time.GetUtcNow();

    private List<JobCard> VisibleCards => [.. _cards.Values
        .Where(c => c.Matches(RepoFilter, StateFilter, TextFilter))
        .OrderByDescending(c => c.UpdatedAt)];

    protected override async Task OnInitializedAsync()
    {
        _user = (await AuthenticationState).User;
        CanMove = (await Authorization.AuthorizeAsync(_user, DashboardPolicies.Act)).Succeeded;
        // Once per page: a person of a tenant sees its repos' jobs only (the feed itself names every job).
        _scope = await Scopes.ForAsync(_user, _stopping.Token);
        _listening = ListenAsync(_stopping.Token);
        _clock = Time.CreateTimer(_ => _ = InvokeAsync(StateHasChanged), null, ClockTick, ClockTick);
    }

    private static bool InColumn(JobCard card, string zone) => card.State.ToWire() == zone;

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notice in Feed.SubscribeAsync(null, cancellationToken))
            {
                switch (notice.Kind)
                {
                    case JobFeedKind.Resync:
                        var records = await ScopedJobs.ListAsync(Store.Jobs, _scope, SnapshotLimit, cancellationToken);
                        var snapshot = records.Select(JobCard.From).ToList();
                        await InvokeAsync(() =>
                        {
                            _cards.Clear();
                            foreach (var card in snapshot)
                            {
                                _cards[card.Id] = card;
                            }
                            Redraw();
                        });
                        break;
                    case JobFeedKind.Job:
                        var record = await Store.Jobs.GetAsync(notice.JobId, cancellationToken);
                        await InvokeAsync(() =>
                        {
                            if (record is null || !_scope.Allows(record.Repo))
                            {
                                _cards.Remove(notice.JobId);
                            }
                            else if (!_cards.TryGetValue(record.Id, out var shown) || shown.Version <= record.Version)
                            {
                                _cards[record.Id] = JobCard.From(record);
                            }
                            Redraw();
                        });
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            var notice = DashboardLog.LiveUpdatesStoppedNotice(Logger, "the board", ex);
            await InvokeAsync(() =>
            {
                FeedError = notice;
                StateHasChanged();
            });
        }
    }

    private void Redraw()
    {
        // A drop zone renders the container's cards, but only when it renders itself: its parameters are the
        // same strings every time, so the board's render skips it, and the container's Refresh() renders the
        // zones at once, which can be before the container got the new cards (the header counted a card
        // that no zone showed). A changed revision makes the zones render in the board's own render, after
        // the container; Refresh() also clears their cached order.
        _revision++;
        StateHasChanged();
        _container?.Refresh();
    }

    private async Task OnItemDroppedAsync(MudItemDropInfo<JobCard> drop)
    {
        if (drop.Item is not { } card || drop.DropzoneIdentifier is not { } zone)
        {
            return;
        }
        await MoveAsync(card, JobStateNames.Parse(zone));
        Redraw();
    }

    /// <summary>A person's drag of <paramref name="card"/> to <paramref name="to"/>: checked, confirmed, then sent.</summary>
    internal async Task MoveAsync(JobCard card, JobState to)
    {
        // The role is checked here as well as in the drag handle: a circuit's messages are the browser's to forge.
        if (!(await Authorization.AuthorizeAsync(_user, DashboardPolicies.Act)).Succeeded)
        {
            Snackbar.Add("Your role can watch jobs but not move them.", Severity.Warning);
            return;
        }
        var move = BoardMoves.Decide(card, to);
        if (!move.Allowed)
        {
            if (card.State != to)
            {
                Snackbar.Add(move.Reason, Severity.Warning);
            }
            return;
        }
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Move {card.Title} to {Formats.StateLabel(to)}?",
            move.Reason,
            yesText: ActionLabel(move.Action),
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        var actor = _user.Identity?.Name ?? "dashboard";
        var result = move.Action switch
        {
            BoardMoveAction.Retry => await Actions.RetryAsync(card.Id, actor, _stopping.Token),
            BoardMoveAction.Stop => await Actions.StopAsync(card.Id, actor, _stopping.Token),
            BoardMoveAction.Close => await Actions.CloseAsync(card.Id, actor, _stopping.Token),
            _ => JobActionResult.Refused(move.Reason),
        };
        if (result.Done)
        {
            Snackbar.Add($"{card.Title}: {ActionLabel(move.Action).ToLowerInvariant()} done.", Severity.Success);
        }
        else
        {
            Snackbar.Add(result.Error ?? "Refused.", Severity.Error);
        }
    }

    private static string ActionLabel(BoardMoveAction action) => action switch
    {
        BoardMoveAction.Retry => "Re-run",
        BoardMoveAction.Stop => "Stop",
        BoardMoveAction.Close => "Close",
        _ => "OK",
    };

    public async ValueTask DisposeAsync()
    {
        if (_clock is not null)
        {
            await _clock.DisposeAsync();
        }
        await _stopping.CancelAsync();
        if (_listening is not null)
        {
            await _listening;
        }
        _stopping.Dispose();
    }
}
