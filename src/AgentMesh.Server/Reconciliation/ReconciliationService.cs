using AgentMesh.Server.GitHubAccess;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Reconciliation;

/// <summary>
/// Runs the reconciliation passes on every node: open jobs at start and every
/// <see cref="ReconciliationOptions.Interval"/>; in token mode, repository invitations at start and
/// every <see cref="ReconciliationOptions.InvitationInterval"/>. A failed pass is logged and the next
/// one runs on schedule.
/// </summary>
public sealed partial class ReconciliationService(
    JobReconciler jobs,
    InvitationAcceptor invitations,
    GitHubClientProvider github,
    IOptions<ReconciliationOptions> options,
    TimeProvider timeProvider,
    ILogger<ReconciliationService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!github.IsConfigured)
        {
            LogNoGitHub(logger);
            return Task.CompletedTask;
        }
        var settings = options.Value;
        var loops = new List<Task> { RepeatAsync("jobs", settings.Interval, jobs.ReconcileOnceAsync, stoppingToken) };
        if (invitations.Applies)
        {
            loops.Add(RepeatAsync("invitations", settings.InvitationInterval, invitations.AcceptPendingAsync, stoppingToken));
        }
        return Task.WhenAll(loops);
    }

    private async Task RepeatAsync<T>(string what, TimeSpan interval, Func<CancellationToken, Task<T>> pass, CancellationToken stoppingToken)
    {
        // The timer exists before the first pass, so a tick that falls during a long pass is kept, not lost.
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            try
            {
                await pass(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, what, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation is off: GitHub access is not configured (GitHub:Token, or GitHub:AppId and GitHub:AppPrivateKeyPath)")]
    private static partial void LogNoGitHub(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciliation pass over {What} failed; the next one runs on schedule")]
    private static partial void LogPassFailed(ILogger logger, string what, Exception exception);
}
