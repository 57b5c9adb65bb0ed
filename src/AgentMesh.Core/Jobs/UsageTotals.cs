namespace AgentMesh.Core.Jobs;

/// <summary>Tokens and their cost in US dollars.</summary>
public sealed record UsageTotals(TokenUsage Tokens, decimal CostUsd)
{
    /// <summary>Nothing used.</summary>
    public static UsageTotals Zero { get; } = new(TokenUsage.Zero, 0m);

    /// <summary>Adds one report.</summary>
    public UsageTotals Add(TokenUsage tokens, decimal costUsd) => new(Tokens.Add(tokens), CostUsd + costUsd);
}
