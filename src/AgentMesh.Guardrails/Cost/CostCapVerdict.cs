using System.Globalization;
using System.Text;

namespace AgentMesh.Guardrails.Cost;

/// <summary>Whether a run has reached its cap, and the figures to say so.</summary>
/// <param name="Reached">True when the run must be stopped.</param>
/// <param name="UsdReached">The dollar limit is reached.</param>
/// <param name="TokensReached">The token limit is reached.</param>
/// <param name="Spend">What the run has spent.</param>
/// <param name="Cap">The cap it was checked against.</param>
public sealed record CostCapVerdict(bool Reached, bool UsdReached, bool TokensReached, RunSpend Spend, RunCostCap Cap)
{
    /// <summary>The issue comment (and job log line) when the run is stopped, with spend and limits; empty when not reached.</summary>
    public string CommentText()
    {
        if (!Reached)
        {
            return "";
        }
        var text = new StringBuilder("AgentMesh stopped this run: it reached its cost cap per run. It spent ");
        text.Append(Dollars(Spend.Usd));
        if (Cap.MaxUsd is { } maxUsd)
        {
            text.Append(" of ").Append(Dollars(maxUsd));
        }
        text.Append(" and ").Append(Spend.Tokens.Total.ToString("N0", CultureInfo.InvariantCulture)).Append(" tokens");
        if (Cap.MaxTokens is { } maxTokens)
        {
            text.Append(" of ").Append(maxTokens.ToString("N0", CultureInfo.InvariantCulture));
        }
        text.Append('.');
        text.Append(UsdReached && TokensReached ? " Both limits were reached."
            : UsdReached ? " The dollar limit was reached." : " The token limit was reached.");
        text.Append(" A maintainer can raise the cap (MaxRunCostUsd, MaxRunTokens) and re-run the job.");
        return text.ToString();
    }

    /// <summary>Cents, or more digits for the small sums of a short run ($0.0042).</summary>
    private static string Dollars(decimal usd) => "$" + usd.ToString("0.00##", CultureInfo.InvariantCulture);
}
