using AgentMesh.Core.Jobs;

namespace AgentMesh.Guardrails.Cost;

/// <summary>
/// What a run has spent so far, built from the agent's reports as they arrive. Immutable, so a job grain can keep
/// it in state. Token reports are per turn and add up; cost reports are "the session's cost so far" and replace
/// the previous one of the same session. A new session in the same run (the fallback profile, a resumed CLI)
/// starts from zero, so the cost of the sessions before it is kept aside and added.
/// </summary>
/// <param name="Tokens">Tokens reported so far.</param>
/// <param name="EarlierSessionsUsd">The final cost of the run's earlier sessions.</param>
/// <param name="SessionId">The session the last cost report came from; null before any.</param>
/// <param name="SessionUsd">The current session's cost so far.</param>
public sealed record RunSpend(TokenUsage Tokens, decimal EarlierSessionsUsd, string? SessionId, decimal SessionUsd)
{
    /// <summary>Nothing spent.</summary>
    public static RunSpend Zero { get; } = new(TokenUsage.Zero, 0m, null, 0m);

    /// <summary>Dollars spent by the run so far.</summary>
    public decimal Usd => EarlierSessionsUsd + SessionUsd;

    /// <summary>Adds one turn's tokens.</summary>
    public RunSpend AddTokens(TokenUsage turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.FirstNegative() is { } negative)
        {
            throw new ArgumentOutOfRangeException(nameof(turn), $"Token counts cannot be negative ({negative} was).");
        }
        return this with { Tokens = Tokens.Add(turn) };
    }

    /// <summary>
    /// Records a cost report: <paramref name="sessionUsdSoFar"/> is the cost of <paramref name="sessionId"/> so far
    /// (null: the current session, for CLIs that do not name one).
    /// </summary>
    public RunSpend ReportCost(string? sessionId, decimal sessionUsdSoFar)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sessionUsdSoFar);
        var sameSession = sessionId is null || SessionId is null || string.Equals(sessionId, SessionId, StringComparison.Ordinal);
        if (sameSession)
        {
            // A late, smaller report of the same session never lowers what was spent.
            return this with { SessionId = sessionId ?? SessionId, SessionUsd = Math.Max(SessionUsd, sessionUsdSoFar) };
        }
        return this with { EarlierSessionsUsd = Usd, SessionId = sessionId, SessionUsd = sessionUsdSoFar };
    }
}
