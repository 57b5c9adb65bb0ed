namespace AgentMesh.Core.Retry;

/// <summary>
/// Exponential backoff with equal jitter. After failed attempt <c>n</c> (1-based) the exponential delay is
/// <c>min(MaxDelay, BaseDelay * 2^(n-1))</c>; the actual delay is half of it fixed plus a uniformly random share
/// of the other half: <c>exp/2 + random * exp/2</c>. Equal jitter (rather than "full jitter") keeps a floor of
/// half the delay, so a burst of failures against a struggling service never retries immediately, while the
/// random half still spreads the jobs of a fleet apart. Deterministic for a given <see cref="IRandomSource"/>.
/// </summary>
public sealed class RetrySchedule
{
    private readonly RetryOptions _options;

    public RetrySchedule(RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.EnsureValid();
    }

    /// <summary>The options this schedule applies.</summary>
    public RetryOptions Options => _options;

    /// <summary>The capped exponential delay after failed attempt <paramref name="failedAttempt"/>, before jitter.</summary>
    public TimeSpan ExponentialDelay(int failedAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);

        // Doubling in floating point and capping before converting back avoids overflow at large attempt numbers.
        var ticks = _options.BaseDelay.Ticks * Math.Pow(2, failedAttempt - 1);
        return ticks >= _options.MaxDelay.Ticks ? _options.MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The jittered delay after failed attempt <paramref name="failedAttempt"/>.</summary>
    public TimeSpan Delay(int failedAttempt, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var exponential = ExponentialDelay(failedAttempt).Ticks;
        var fixedHalf = exponential / 2;
        var sample = random.NextDouble();
        if (sample is < 0 or >= 1 || double.IsNaN(sample))
        {
            throw new ArgumentOutOfRangeException(nameof(random), sample, "IRandomSource.NextDouble must return a value in [0, 1).");
        }

        return TimeSpan.FromTicks(fixedHalf + (long)(sample * (exponential - fixedHalf)));
    }

    /// <summary>
    /// What follows the failure of attempt <paramref name="failedAttempt"/> out of <paramref name="maxAttempts"/>:
    /// a retry at a jittered time, or giving up when that was the last attempt.
    /// </summary>
    public RetryPlan Plan(int failedAttempt, int maxAttempts, DateTimeOffset now, IRandomSource random)
    {
        if (failedAttempt >= maxAttempts)
        {
            return RetryPlan.GiveUp;
        }

        var delay = Delay(failedAttempt, random);
        return new RetryPlan(true, failedAttempt + 1, delay, now + delay);
    }
}
