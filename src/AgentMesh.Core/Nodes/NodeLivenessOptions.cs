namespace AgentMesh.Core.Nodes;

/// <summary>Heartbeat timing of the nodes table.</summary>
public sealed record NodeLivenessOptions
{
    /// <summary>How often a node writes its heartbeat. Default: 10 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A node whose heartbeat is older than this is lost. Default: 60 seconds.</summary>
    public TimeSpan LostAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Every problem with these options, one exact sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            problems.Add($"HeartbeatInterval must be positive (was {HeartbeatInterval}).");
        }

        // Two missed beats before a node is declared lost: one late beat (a GC pause, a slow commit) is not death.
        if (LostAfter < HeartbeatInterval * 2)
        {
            problems.Add($"LostAfter ({LostAfter}) must be at least twice HeartbeatInterval ({HeartbeatInterval}).");
        }

        return problems;
    }

    /// <summary>Throws <see cref="InvalidConfigurationException"/> listing every problem, if any.</summary>
    public NodeLivenessOptions EnsureValid()
    {
        InvalidConfigurationException.ThrowIfAny(nameof(NodeLivenessOptions), Validate());
        return this;
    }
}
