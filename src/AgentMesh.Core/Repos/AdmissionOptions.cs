namespace AgentMesh.Core.Repos;

/// <summary>Settings of the admission decision.</summary>
public sealed record AdmissionOptions
{
    /// <summary>How long an event deferred for the concurrency limit waits before it is reconsidered. Default: 1 minute.</summary>
    public TimeSpan ConcurrencyRecheckDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Every problem with these options, one exact sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate() =>
        ConcurrencyRecheckDelay <= TimeSpan.Zero
            ? [$"ConcurrencyRecheckDelay must be positive (was {ConcurrencyRecheckDelay})."]
            : [];

    /// <summary>Throws <see cref="InvalidConfigurationException"/> listing every problem, if any.</summary>
    public AdmissionOptions EnsureValid()
    {
        InvalidConfigurationException.ThrowIfAny(nameof(AdmissionOptions), Validate());
        return this;
    }
}
