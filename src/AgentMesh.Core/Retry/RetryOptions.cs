namespace AgentMesh.Core.Retry;

/// <summary>
/// How a job retries after a transient failure (or a rescued lease): exponential backoff with "equal jitter",
/// capped, for a bounded number of attempts. See <see cref="RetrySchedule"/> for the formula.
/// </summary>
public sealed record RetryOptions
{
    /// <summary>Delay before the second attempt, before jitter. Default: 30 seconds.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of the exponential delay, before jitter. Default: 15 minutes.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Attempts a piece of work gets (the first run counts as attempt 1) before the job fails. Default: 3.
    /// </summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Every problem with these options, one exact sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (BaseDelay <= TimeSpan.Zero)
        {
            problems.Add($"BaseDelay must be positive (was {BaseDelay}).");
        }

        if (MaxDelay < BaseDelay)
        {
            problems.Add($"MaxDelay ({MaxDelay}) must be at least BaseDelay ({BaseDelay}).");
        }

        if (MaxAttempts is < 1 or > 100)
        {
            problems.Add($"MaxAttempts must be between 1 and 100 (was {MaxAttempts}).");
        }

        return problems;
    }

    /// <summary>Throws <see cref="InvalidConfigurationException"/> listing every problem, if any.</summary>
    public RetryOptions EnsureValid()
    {
        InvalidConfigurationException.ThrowIfAny(nameof(RetryOptions), Validate());
        return this;
    }
}
