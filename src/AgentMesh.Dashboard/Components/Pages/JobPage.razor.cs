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
/// One job: its header, the log (the tail, then each new line by sequence number, never one twice
/// or one missing), the history timeline, and the person's controls (stop, retry, chat).
/// </summary>
public sealed partial class JobPage : IAsyncDisposable
{
    /// <summary>Lines loaded when the page opens.</summary>
    public const int TailLines = 500;

    /// <summary>Lines kept in the browser; older ones drop off the top.</summary>
    public const int MaxLines = 5000;

    private const int ReadBatch = 1000;

    private readonly List<LogLineView> _lines = [];
    private readonly List<JobEventRecord> _history = [];

    // Each run's audit (tool calls, files changed, people), from its run_audit event in the history.
    private readonly List<AgentMesh.Guardrails.Audit.RunAudit> _audits = [];
    private IReadOnlyList<RunUsageRow> _runUsage = [];
    private readonly CancellationTokenSource _stopping = new();
    private long _lastSequence;
    private long _lastEvent;
    private bool _missing;
    private Jobs.JobLogView? _logView;
    private Task? _listening;
    private ClaimsPrincipal _user = new();

    [Parameter] public string Id { get; set; } = "";

    [Inject] private IJobFeed Feed { get; set; } = null!;
    [Inject] private IAgentMeshStore Store { get; set; } = null!;
    [Inject] private IJobActions Actions { get; set; } = null!;
    [Inject] private TenantScopes Scopes { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private ILogger<JobPage> Logger { get; set; } = null!;
    [Inject] private DashboardOptions Options { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    internal JobCard? Card { get; private set; }
    internal IReadOnlyList<LogLineView> Lines => _lines;

    /// <summary>Text the shown lines must hold; the log stops following while a search is on.</summary>
    internal string? Search { get; set; }
    private bool CanAct { get; set; }
    private string? FeedError { get; set; }
    private string? Message { get; set; }
    private DateTimeOffset Now => Time.GetUtcNow();
    private string IssueUrl => Card is { } card ? Options.IssueUrl(card.Repo, card.Number).ToString() : "";

    protected override async Task OnInitializedAsync()
    {
        _user = (await AuthenticationState).User;
        CanAct = (await Authorization.AuthorizeAsync(_user, DashboardPolicies.Act)).Succeeded;
        var scope = await Scopes.ForAsync(_user, _stopping.Token);
        if (scope.IsRestricted && await Store.Jobs.GetAsync(Id, _stopping.Token) is var job && (job is null || !scope.Allows(job.Repo)))
        {
            // Another tenant's job is answered as a missing one: its id tells nothing, and nothing of it is read or followed.
            _missing = true;
            return;
        }
        _listening = ListenAsync(_stopping.Token);
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notice in Feed.SubscribeAsync(Id, cancellationToken))
            {
                switch (notice.Kind)
                {
                    case JobFeedKind.Resync:
                        await LoadJobAsync(cancellationToken);
                        await LoadLogAsync(cancellationToken);
                        await LoadHistoryAsync(cancellationToken);
                        break;
                    case JobFeedKind.Job:
                        await LoadJobAsync(cancellationToken);
                        // A job that changed state may have lost its last live batch on the way: catch up.
                        await LoadLogAsync(cancellationToken);
                        break;
                    case JobFeedKind.Log when notice.Sequence > _lastSequence:
                        if (notice.Lines is { Count: > 0 } lines && lines[0].Sequence <= _lastSequence + 1)
                        {
                            // The feed brought the stored lines themselves, right after the last one shown.
                            await InvokeAsync(() => AppendLines(lines));
                        }
                        else
                        {
                            await LoadLogAsync(cancellationToken);
                        }
                        break;
                    case JobFeedKind.History:
                        await LoadHistoryAsync(cancellationToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            var notice = DashboardLog.LiveUpdatesStoppedNotice(Logger, "a job page", ex);
            await InvokeAsync(() =>
            {
                FeedError = notice;
                StateHasChanged();
            });
        }
    }

    private async Task LoadJobAsync(CancellationToken cancellationToken)
    {
        var record = await Store.Jobs.GetAsync(Id, cancellationToken);
        await InvokeAsync(() =>
        {
            _missing = record is null;
            if (record is not null && (Card is null || Card.Version <= record.Version))
            {
                Card = JobCard.From(record);
            }
            StateHasChanged();
        });
    }

    /// <summary>
    /// The first load takes the tail; every later one reads strictly after the last line shown, so
    /// a resync or a repeated notice can neither repeat a line nor skip one.
    /// </summary>
    private async Task LoadLogAsync(CancellationToken cancellationToken)
    {
        var fresh = new List<LogLine>();
        if (_lastSequence == 0)
        {
            fresh.AddRange(await Store.Logs.TailAsync(Id, TailLines, cancellationToken));
        }
        var after = fresh.Count > 0 ? fresh[^1].Sequence : _lastSequence;
        while (true)
        {
            var batch = await Store.Logs.ReadAsync(Id, after, ReadBatch, cancellationToken);
            fresh.AddRange(batch);
            if (batch.Count < ReadBatch)
            {
                break;
            }
            after = batch[^1].Sequence;
        }
        if (fresh.Count == 0)
        {
            return;
        }
        await InvokeAsync(() => AppendLines(fresh));
    }

    /// <summary>Adds the lines after the last one shown, in order; a line already shown is skipped.</summary>
    private void AppendLines(IEnumerable<LogLine> fresh)
    {
        foreach (var line in fresh.Where(l => l.Sequence > _lastSequence))
        {
            _lines.Add(LogLineView.From(line));
            _lastSequence = line.Sequence;
        }
        if (_lines.Count > MaxLines)
        {
            _lines.RemoveRange(0, _lines.Count - MaxLines);
        }
        // Only the log re-renders for new lines; before the page first shows it, the page renders it with them.
        if (_logView is { } view)
        {
            view.LinesAdded();
        }
        else
        {
            StateHasChanged();
        }
    }

    private async Task LoadHistoryAsync(CancellationToken cancellationToken)
    {
        var events = await Store.History.ReadAsync(Id, _lastEvent, ReadBatch, cancellationToken);
        if (events.Count == 0)
        {
            return;
        }
        await InvokeAsync(() =>
        {
            foreach (var item in events.Where(e => e.Sequence > _lastEvent))
            {
                _history.Add(item);
                _lastEvent = item.Sequence;
                if (item.Type == AgentMesh.Guardrails.Audit.RunAuditJson.EventType)
                {
                    _audits.Add(AgentMesh.Guardrails.Audit.RunAuditJson.Read(item.DataJson));
                }
            }
            _runUsage = RunUsageRow.From(_history);
            StateHasChanged();
        });
    }

    private async Task StopAsync()
    {
        if (Card is not { } card || !await MayActAsync())
        {
            return;
        }
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Stop {card.Title}?", "Its agent is stopped and its worker released. You can retry it later.", yesText: "Stop", cancelText: "Cancel");
        if (confirmed == true)
        {
            Report(await Actions.StopAsync(card.Id, ActorName, _stopping.Token), "Stopped.");
        }
    }

    private async Task RetryAsync()
    {
        if (Card is not { } card || !await MayActAsync())
        {
            return;
        }
        Report(await Actions.RetryAsync(card.Id, ActorName, _stopping.Token), "Re-run queued.");
    }

    private async Task SendAsync(bool interrupt)
    {
        if (Card is not { } card || string.IsNullOrWhiteSpace(Message) || !await MayActAsync())
        {
            return;
        }
        var result = await Actions.SendMessageAsync(card.Id, ActorName, Message, interrupt, _stopping.Token);
        Report(result, interrupt ? "Interrupted and sent." : "Sent.");
        if (result.Done)
        {
            Message = null;
        }
    }

    private string ActorName => _user.Identity?.Name ?? "dashboard";

    /// <summary>Every action checks the role again: a hidden button is no permission.</summary>
    private async Task<bool> MayActAsync()
    {
        if ((await Authorization.AuthorizeAsync(_user, DashboardPolicies.Act)).Succeeded)
        {
            return true;
        }
        Snackbar.Add("Your role can watch jobs but not change them.", Severity.Warning);
        return false;
    }

    private void Report(JobActionResult result, string done) =>
        Snackbar.Add(result.Done ? done : result.Error ?? "Refused.", result.Done ? Severity.Success : Severity.Error);

    private static Color StateColor(JobState state) => state switch
    {
        JobState.Running or JobState.Fixing => Color.Info,
        JobState.WaitingForReply => Color.Warning,
        JobState.PrOpened or JobState.Merged => Color.Success,
        JobState.Failed => Color.Error,
        _ => Color.Default,
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_listening is not null)
        {
            await _listening;
        }
        _stopping.Dispose();
    }
}
