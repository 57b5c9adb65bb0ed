using AgentMesh.Core.Repos;

namespace AgentMesh.Dashboard.Repos;

/// <summary>
/// The editor's model of a <see cref="RepoConfig"/>: every setting, lists as comma-separated text and
/// an empty text field as "none" (null). It only converts; the node validates.
/// </summary>
public sealed class RepoConfigForm
{
    public bool Enabled { get; set; }
    public bool AutoSolve { get; set; }
    public string? TriggerLabel { get; set; }
    public string? TriggerMention { get; set; }
    public string? IncludeLabels { get; set; }
    public string? ExcludeLabels { get; set; }
    public string? AllowedUsers { get; set; }
    public string? AgentProfile { get; set; }
    public int MaxConcurrentJobs { get; set; }
    public long? HourlyTokenBudget { get; set; }
    public long? DailyTokenBudget { get; set; }
    public int MaxFixRounds { get; set; }

    /// <summary>True: the default protected paths (<c>.github/workflows/**</c>); false: exactly <see cref="ProtectedPaths"/>.</summary>
    public bool DefaultProtectedPaths { get; set; }
    public string? ProtectedPaths { get; set; }
    public decimal? MaxRunCostUsd { get; set; }
    public long? MaxRunTokens { get; set; }

    public static RepoConfigForm From(RepoConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new RepoConfigForm
        {
            Enabled = config.Enabled,
            AutoSolve = config.AutoSolve,
            TriggerLabel = config.TriggerLabel,
            TriggerMention = config.TriggerMention,
            IncludeLabels = Join(config.IncludeLabels),
            ExcludeLabels = Join(config.ExcludeLabels),
            AllowedUsers = Join(config.AllowedUsers),
            AgentProfile = config.AgentProfile,
            MaxConcurrentJobs = config.MaxConcurrentJobs,
            HourlyTokenBudget = config.HourlyTokenBudget,
            DailyTokenBudget = config.DailyTokenBudget,
            MaxFixRounds = config.MaxFixRounds,
            DefaultProtectedPaths = config.ProtectedPaths is null,
            ProtectedPaths = config.ProtectedPaths is null ? null : Join(config.ProtectedPaths),
            MaxRunCostUsd = config.MaxRunCostUsd,
            MaxRunTokens = config.MaxRunTokens,
        };
    }

    public RepoConfig ToConfig() => new()
    {
        Enabled = Enabled,
        AutoSolve = AutoSolve,
        TriggerLabel = NullIfEmpty(TriggerLabel),
        TriggerMention = NullIfEmpty(TriggerMention),
        IncludeLabels = Split(IncludeLabels),
        ExcludeLabels = Split(ExcludeLabels),
        AllowedUsers = Split(AllowedUsers),
        AgentProfile = NullIfEmpty(AgentProfile),
        MaxConcurrentJobs = MaxConcurrentJobs,
        HourlyTokenBudget = HourlyTokenBudget,
        DailyTokenBudget = DailyTokenBudget,
        MaxFixRounds = MaxFixRounds,
        ProtectedPaths = DefaultProtectedPaths ? null : Split(ProtectedPaths),
        MaxRunCostUsd = MaxRunCostUsd,
        MaxRunTokens = MaxRunTokens,
    };

    private static string Join(IReadOnlyList<string> values) => string.Join(", ", values);

    // Empty entries are dropped: "a, , b" is two labels, as a person means it.
    private static string[] Split(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
