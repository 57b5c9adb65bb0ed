namespace AgentMesh.Dashboard.Usage;

/// <summary>How much of each token budget is spent now: per repository and node-wide, per hour and per day. Implemented by the node.</summary>
public interface IBudgetGauges
{
    Task<IReadOnlyList<BudgetGauge>> ReadAsync(CancellationToken cancellationToken);
}

public enum BudgetWindow
{
    Hour,
    Day,
}

/// <summary>One budget window's spending.</summary>
/// <param name="Scope"><c>owner/name</c>, or <see cref="Global"/> for the node-wide budget.</param>
/// <param name="Limit">Tokens allowed in the window; null is unlimited.</param>
public sealed record BudgetGauge(string Scope, BudgetWindow Window, long Used, long? Limit)
{
    public const string Global = "global";

    /// <summary>Spent over allowed, from 0 (may pass 1 when a run overshoots); null when unlimited.</summary>
    public double? Fraction => Limit is > 0 and { } limit ? (double)Used / limit : null;
}
