using System.Globalization;

namespace AgentMesh.Guardrails.Cost;

/// <summary>
/// What one run may spend (a repository or profile setting). Either limit may be null (no limit on that measure);
/// with both null the cap never stops a run. Hourly and daily budgets are separate and unchanged.
/// </summary>
/// <param name="MaxUsd">US dollars one run may spend, as the agent CLI reports cost. Default: null (no limit).</param>
/// <param name="MaxTokens">Tokens (input + output + cache read + cache write) one run may use. Default: null (no limit).</param>
public sealed record RunCostCap(decimal? MaxUsd = null, long? MaxTokens = null)
{
    /// <summary>No limit.</summary>
    public static RunCostCap None { get; } = new();

    /// <summary>Every problem with this cap, one sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxUsd is <= 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaxRunCostUsd must be positive or null for no limit (was {MaxUsd})."));
        }
        if (MaxTokens is <= 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaxRunTokens must be positive or null for no limit (was {MaxTokens})."));
        }
        return problems;
    }

    /// <summary>
    /// Whether <paramref name="spend"/> has reached this cap. A run is stopped once it is at or over a limit: the
    /// usage report that shows it arrives after the money is spent, so waiting for "over" only spends more.
    /// </summary>
    public CostCapVerdict Check(RunSpend spend)
    {
        ArgumentNullException.ThrowIfNull(spend);
        var overUsd = MaxUsd is { } maxUsd && spend.Usd >= maxUsd;
        var overTokens = MaxTokens is { } maxTokens && spend.Tokens.Total >= maxTokens;
        return new CostCapVerdict(overUsd || overTokens, overUsd, overTokens, spend, this);
    }
}
