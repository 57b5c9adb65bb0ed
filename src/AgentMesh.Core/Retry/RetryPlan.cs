namespace AgentMesh.Core.Retry;

/// <summary>The outcome of <see cref="RetrySchedule.Plan"/>.</summary>
/// <param name="Retry">False when the failed attempt was the last one.</param>
/// <param name="NextAttempt">The attempt number the retry will run as (0 when giving up).</param>
/// <param name="Delay">The jittered delay (zero when giving up).</param>
/// <param name="RunAfter">When the retry may be claimed (default when giving up).</param>
public sealed record RetryPlan(bool Retry, int NextAttempt, TimeSpan Delay, DateTimeOffset RunAfter)
{
    /// <summary>No retry: the attempts are used up.</summary>
    public static RetryPlan GiveUp { get; } = new(false, 0, TimeSpan.Zero, default);
}
