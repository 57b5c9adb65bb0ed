namespace AgentMesh.Core.Repos;

/// <summary>
/// A repository's settings: whether and when AgentMesh works on it, who may ask, how much it may spend.
/// Label and login comparisons are case-insensitive, as they are on GitHub.
/// </summary>
public sealed record RepoConfig
{
    /// <summary>Master switch. Default: false (a repo is opted in explicitly).</summary>
    public bool Enabled { get; init; }

    /// <summary>Solve every newly opened issue without a label or mention. Default: false.</summary>
    public bool AutoSolve { get; init; }

    /// <summary>Adding this label to an issue triggers a job; null disables the label trigger. Default: "agentmesh".</summary>
    public string? TriggerLabel { get; init; } = "agentmesh";

    /// <summary>A comment containing this mention triggers a job; null disables it. Default: "@agentmesh".</summary>
    public string? TriggerMention { get; init; } = "@agentmesh";

    /// <summary>When non-empty, an issue needs at least one of these labels. Default: empty.</summary>
    public IReadOnlyList<string> IncludeLabels { get; init; } = [];

    /// <summary>An issue with any of these labels is never worked on. Default: empty.</summary>
    public IReadOnlyList<string> ExcludeLabels { get; init; } = [];

    /// <summary>
    /// Logins allowed to trigger work. Empty means anyone with write permission on the repository (the caller
    /// looks that up and passes it in <see cref="TriggerFacts.AuthorHasWritePermission"/>). Default: empty.
    /// </summary>
    public IReadOnlyList<string> AllowedUsers { get; init; } = [];

    /// <summary>The agent profile jobs of this repo run with; null uses the node's <c>Agents:DefaultProfile</c>. Default: null.</summary>
    public string? AgentProfile { get; init; }

    /// <summary>Jobs of this repo running at once. Default: 2.</summary>
    public int MaxConcurrentJobs { get; init; } = 2;

    /// <summary>Tokens per clock hour (UTC); null is unlimited. Default: null.</summary>
    public long? HourlyTokenBudget { get; init; }

    /// <summary>Tokens per calendar day (UTC); null is unlimited. Default: null.</summary>
    public long? DailyTokenBudget { get; init; }

    /// <summary>Review-feedback fix rounds per job run. Default: 3.</summary>
    public int MaxFixRounds { get; init; } = 3;

    /// <summary>
    /// Path patterns (gitignore-shaped) whose change needs a maintainer's <c>@agentmesh approve</c> before the node
    /// pushes. Null: <c>.github/workflows/**</c>; empty: nothing is protected. Default: null.
    /// </summary>
    public IReadOnlyList<string>? ProtectedPaths { get; init; }

    /// <summary>Dollars one run may spend before the node stops it; null: no cap (the profile's may still apply). Default: null.</summary>
    public decimal? MaxRunCostUsd { get; init; }

    /// <summary>Tokens one run may use before the node stops it; null: no cap (the profile's may still apply). Default: null.</summary>
    public long? MaxRunTokens { get; init; }

    /// <summary>Every problem with this configuration, one exact sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (TriggerLabel is not null && string.IsNullOrWhiteSpace(TriggerLabel))
        {
            problems.Add("TriggerLabel must be null or a non-blank label.");
        }

        if (TriggerMention is not null && !IsMention(TriggerMention))
        {
            problems.Add($"TriggerMention must be null or '@' followed by a login (was \"{TriggerMention}\").");
        }

        AddBlankProblems(problems, nameof(IncludeLabels), IncludeLabels);
        AddBlankProblems(problems, nameof(ExcludeLabels), ExcludeLabels);
        AddBlankProblems(problems, nameof(AllowedUsers), AllowedUsers);
        var both = (IncludeLabels ?? []).Intersect(ExcludeLabels ?? [], StringComparer.OrdinalIgnoreCase).ToArray();
        if (both.Length > 0)
        {
            problems.Add($"Labels cannot be both included and excluded: {string.Join(", ", both)}.");
        }

        if (TriggerLabel is not null && (ExcludeLabels ?? []).Contains(TriggerLabel, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"TriggerLabel \"{TriggerLabel}\" is also an excluded label, so it could never trigger.");
        }

        if (AgentProfile is not null && string.IsNullOrWhiteSpace(AgentProfile))
        {
            problems.Add("AgentProfile must be null (the node's default profile) or name an agent profile.");
        }

        if (MaxConcurrentJobs is < 1 or > 100)
        {
            problems.Add($"MaxConcurrentJobs must be between 1 and 100 (was {MaxConcurrentJobs}).");
        }

        if (HourlyTokenBudget is <= 0)
        {
            problems.Add($"HourlyTokenBudget must be positive or null for unlimited (was {HourlyTokenBudget}).");
        }

        if (DailyTokenBudget is <= 0)
        {
            problems.Add($"DailyTokenBudget must be positive or null for unlimited (was {DailyTokenBudget}).");
        }

        if (HourlyTokenBudget is > 0 and { } hourly && DailyTokenBudget is > 0 and { } daily && hourly > daily)
        {
            problems.Add($"HourlyTokenBudget ({hourly}) must not exceed DailyTokenBudget ({daily}).");
        }

        if (MaxFixRounds is < 0 or > 50)
        {
            problems.Add($"MaxFixRounds must be between 0 and 50 (was {MaxFixRounds}).");
        }

        if (ProtectedPaths is not null && ProtectedPaths.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("ProtectedPaths must not contain blank patterns.");
        }

        if (MaxRunCostUsd is <= 0)
        {
            problems.Add($"MaxRunCostUsd must be positive or null for no cap (was {MaxRunCostUsd}).");
        }

        if (MaxRunTokens is <= 0)
        {
            problems.Add($"MaxRunTokens must be positive or null for no cap (was {MaxRunTokens}).");
        }

        return problems;
    }

    /// <summary>Throws <see cref="InvalidConfigurationException"/> listing every problem, if any.</summary>
    public RepoConfig EnsureValid()
    {
        InvalidConfigurationException.ThrowIfAny(nameof(RepoConfig), Validate());
        return this;
    }

    private static bool IsMention(string mention) =>
        mention.Length > 1 && mention[0] == '@' && mention.Skip(1).All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '[' or ']');

    private static void AddBlankProblems(List<string> problems, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            problems.Add($"{name} must be a list (empty for none).");
        }
        else if (values.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{name} must not contain blank entries.");
        }
    }
}
