using System.Collections.Concurrent;
using AgentMesh.Testing;

namespace AgentMesh.GitHub.Tests.Rest;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also records the due time of every timer created, so a test can
/// see exactly how long the client decided to wait (a Polly retry delay, a rate-limit wait) and then
/// move the clock by that much, without sleeping.
/// </summary>
public sealed class RecordingTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _timers = new();

    public FakeTimeProvider Clock { get; } = inner;

    public IReadOnlyList<TimeSpan> Timers => [.. _timers];

    public override DateTimeOffset GetUtcNow() => Clock.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => Clock.LocalTimeZone;

    public override long TimestampFrequency => Clock.TimestampFrequency;

    public override long GetTimestamp() => Clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Record(dueTime);
        return new RecordingTimer(this, Clock.CreateTimer(callback, state, dueTime, period));
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _timers.Enqueue(dueTime);
        }
    }

    /// <summary>Also records re-arming: a CancellationTokenSource made with a TimeProvider arms its timer through Change (CancelAfter).</summary>
    private sealed class RecordingTimer(RecordingTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Record(dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>Waits until the <paramref name="count"/>-th timer other than <paramref name="ignore"/> exists, and returns its due time.</summary>
    public async Task<TimeSpan> WaitForDelayAsync(int count, TimeSpan ignore, string what)
    {
        TimeSpan found = default;
        await Eventually.UntilAsync(() =>
        {
            var delays = Timers.Where(t => t != ignore && t != Timeout.InfiniteTimeSpan).ToList();
            if (delays.Count < count)
            {
                return false;
            }
            found = delays[count - 1];
            return true;
        }, what);
        return found;
    }
}
