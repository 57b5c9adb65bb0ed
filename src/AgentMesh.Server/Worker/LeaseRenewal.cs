using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Keeps a claimed job's lease alive while it runs, renewing at a third of its duration. When a
/// renewal is refused (the job was rescued, stopped or closed) the run is cancelled.
/// </summary>
public sealed class LeaseRenewal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LeaseRenewal(IJobStore jobs, JobLease lease, TimeSpan leaseDuration, TimeProvider timeProvider, CancellationTokenSource run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _loop = RenewAsync(jobs, lease, leaseDuration, timeProvider, run);
    }

    /// <summary>Set once a renewal was refused.</summary>
    public bool LeaseLost { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task RenewAsync(IJobStore jobs, JobLease lease, TimeSpan leaseDuration, TimeProvider timeProvider, CancellationTokenSource run)
    {
        using var timer = new PeriodicTimer(leaseDuration / 3, timeProvider);
        var current = lease;
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                current = await jobs.RenewLeaseAsync(current, leaseDuration, _stop.Token).ConfigureAwait(false);
            }
            catch (StaleLeaseException)
            {
                LeaseLost = true;
                await run.CancelAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A store hiccup: the lease has two more thirds of its life for the next try.
            }
        }
    }
}
