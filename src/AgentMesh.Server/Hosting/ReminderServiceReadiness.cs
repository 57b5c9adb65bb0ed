using Orleans.Reminders.Diagnostics;

namespace AgentMesh.Server.Hosting;

/// <summary>
/// Whether this silo's reminder service has finished its first read of the reminder table. Until it has,
/// registering a reminder waits up to 20 seconds and then fails; when that first read fails (a database
/// hiccup while several silos start), Orleans retries it only up to 30 seconds later. A silo in that window
/// cannot accept a webhook (the delivery grain registers a reminder before the 202), so it is not ready.
/// Orleans says when the service started only as a diagnostic event (<see cref="ReminderEvents"/>: public,
/// though marked as free to change between minor versions); this type listens for it from the silo's first
/// lifecycle stage, before the reminder service starts, and keeps the answer.
/// </summary>
public sealed class ReminderServiceReadiness : ILifecycleParticipant<ISiloLifecycle>, IObserver<ReminderEvents.ReminderServiceEvent>, IDisposable
{
    private readonly ILocalSiloDetails _silo;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _subscription;

    public ReminderServiceReadiness(ILocalSiloDetails silo)
    {
        _silo = silo;
        // The events are process-wide (several test silos share a process): each silo keeps its own.
        _subscription = ReminderEvents.ServiceEvents.Subscribe(this);
    }

    /// <summary>Completes when this silo's reminder service has started.</summary>
    public Task Started => _started.Task;

    public bool HasStarted => _started.Task.IsCompleted;

    // Being a lifecycle participant makes the silo build this object (and so subscribe) while it builds its
    // lifecycle, before any service starts.
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<ReminderServiceReadiness>(ServiceLifecycleStage.First, _ => Task.CompletedTask);

    public void OnNext(ReminderEvents.ReminderServiceEvent value)
    {
        if (value is ReminderEvents.ReminderServiceStarted && Equals(value.SiloAddress, _silo.SiloAddress))
        {
            _started.TrySetResult();
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription.Dispose();
}
