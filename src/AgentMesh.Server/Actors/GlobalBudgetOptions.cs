namespace AgentMesh.Server.Actors;

/// <summary>Token budgets across all repos (section <c>Budgets</c>). Null means unlimited (the default).</summary>
public sealed class GlobalBudgetOptions
{
    public const string SectionName = "Budgets";

    /// <summary>Tokens per UTC clock hour across every repo. Default: unlimited.</summary>
    public long? HourlyTokens { get; set; }

    /// <summary>Tokens per UTC day across every repo. Default: unlimited.</summary>
    public long? DailyTokens { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (HourlyTokens is <= 0)
        {
            problems.Add($"{SectionName}:HourlyTokens must be positive when set, not {HourlyTokens}.");
        }
        if (DailyTokens is <= 0)
        {
            problems.Add($"{SectionName}:DailyTokens must be positive when set, not {DailyTokens}.");
        }
        return problems;
    }
}
