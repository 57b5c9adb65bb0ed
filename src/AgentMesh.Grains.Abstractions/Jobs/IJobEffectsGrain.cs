using Orleans.Concurrency;

namespace AgentMesh.Grains.Abstractions.Jobs;

/// <summary>
/// Performs one job's committed side effects (its outbox items: comments, the status comment), key: the job id.
/// One activation per job in the cluster, so a job's effects go out one at a time and in order. The turn that
/// may write effects first has the grain expect them (<see cref="ExpectAsync"/>: a reminder, durable), then
/// commits, then wakes it (<see cref="PerformSoonAsync"/>); the reminder performs them if the node died in
/// between, and retries a failed effect at its backoff. A grain of its own, apart from the job grain, so a
/// slow GitHub never holds up the job's timers.
/// </summary>
public interface IJobEffectsGrain : IGrainWithStringKey
{
    /// <summary>Sets the reminder that performs the job's effects unless they are performed first. Call before the write.</summary>
    Task ExpectAsync();

    /// <summary>Performs the effects due now, then keeps a reminder for the next one (or none when nothing is pending).</summary>
    [OneWay]
    Task PerformSoonAsync();

    /// <summary>As <see cref="PerformSoonAsync"/>, awaited; returns when the next pending effect is due (null: none pending).</summary>
    Task<DateTimeOffset?> PerformAsync();
}
