using AgentMesh.Grains.Abstractions.Workers;

namespace AgentMesh.Grains.Abstractions.Repos;

/// <summary>What a repo grain answered a worker slot asking to run one of the repo's jobs.</summary>
public enum RunClaimOutcome
{
    /// <summary>The job is the slot's: <see cref="RunClaim.Ticket"/> names the run.</summary>
    Claimed,

    /// <summary>The repo already runs as many jobs as its configuration allows; its other jobs wait too.</summary>
    RepoFull,

    /// <summary>The job is not claimable (any more): held, not due, or moved on.</summary>
    NotClaimable,
}

/// <summary>A repo grain's answer to a claim: the outcome, and the run's ticket when claimed.</summary>
[GenerateSerializer]
[Alias("AgentMesh.RunClaim")]
public sealed record RunClaim([property: Id(0)] RunClaimOutcome Outcome, [property: Id(1)] AgentRunTicket? Ticket = null);
