using AgentMesh.Core.Retry;

namespace AgentMesh.Core.Jobs;

/// <summary>Settings of the job state machine.</summary>
public sealed record JobActorOptions
{
    /// <summary>Backoff and attempts. Default: <see cref="RetryOptions"/> defaults (30 s base, 15 min cap, 3 attempts).</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>State changes kept in <see cref="JobActorState.History"/>. Default: 50.</summary>
    public int HistoryLimit { get; init; } = 50;

    /// <summary>Delivered chat messages kept in the mailbox (older ones live in the event history). Default: 20.</summary>
    public int DeliveredMessagesKept { get; init; } = 20;

    /// <summary>Undelivered chat messages a job accepts before refusing more. Default: 100.</summary>
    public int MaxUndeliveredMessages { get; init; } = 100;

    /// <summary>
    /// How long a new fix round waits before a worker may take it, so the rest of the review (GitHub
    /// sends each inline comment as its own delivery, seconds after the review) joins the round's
    /// notes before the agent starts. Default: 3 s.
    /// </summary>
    public TimeSpan ReviewSettleDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Every problem with these options, one exact sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Retry is null)
        {
            problems.Add("Retry must be set.");
        }
        else
        {
            problems.AddRange(Retry.Validate().Select(p => "Retry." + p));
        }

        if (HistoryLimit is < 1 or > 1000)
        {
            problems.Add($"HistoryLimit must be between 1 and 1000 (was {HistoryLimit}).");
        }

        if (DeliveredMessagesKept is < 0 or > 1000)
        {
            problems.Add($"DeliveredMessagesKept must be between 0 and 1000 (was {DeliveredMessagesKept}).");
        }

        if (MaxUndeliveredMessages is < 1 or > 10000)
        {
            problems.Add($"MaxUndeliveredMessages must be between 1 and 10000 (was {MaxUndeliveredMessages}).");
        }

        if (ReviewSettleDelay < TimeSpan.Zero || ReviewSettleDelay > TimeSpan.FromMinutes(10))
        {
            problems.Add($"ReviewSettleDelay must be between 0 and 10 minutes (was {ReviewSettleDelay}).");
        }

        return problems;
    }

    /// <summary>Throws <see cref="InvalidConfigurationException"/> listing every problem, if any.</summary>
    public JobActorOptions EnsureValid()
    {
        InvalidConfigurationException.ThrowIfAny(nameof(JobActorOptions), Validate());
        return this;
    }
}
