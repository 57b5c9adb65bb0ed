namespace AgentMesh.Core.Repos;

/// <summary>
/// Decides whether a GitHub event becomes work for a repo. Pure: the caller passes the configuration, the ledger,
/// the facts and the time. Checks run in a fixed order, so the reason reported is the first that applies:
/// disabled, the bot's own comment, author not allowed, trigger not matched (auto-solve off, label, mention),
/// excluded label, missing include label; then the deferrals: daily budget, hourly budget, concurrency.
/// Rejections come before deferrals so an event that can never run is not parked until a budget frees.
/// </summary>
public sealed class AdmissionPolicy
{
    private readonly AdmissionOptions _options;

    public AdmissionPolicy(AdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.EnsureValid();
    }

    /// <summary>Decides one event.</summary>
    public AdmissionDecision Decide(RepoConfig config, BudgetLedger ledger, TriggerFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(facts);
        return (AdmissionDecision?)Rejection(config, facts) ?? (AdmissionDecision?)Deferral(config, ledger, facts, now) ?? new AdmissionDecision.Admit();
    }

    private static AdmissionDecision.Reject? Rejection(RepoConfig config, TriggerFacts facts)
    {
        if (!config.Enabled)
        {
            return Reject(RejectReason.Disabled, "AgentMesh is disabled for this repository.");
        }

        if (facts.IsBotOwnComment)
        {
            return Reject(RejectReason.BotOwnComment, "The event is AgentMesh's own comment.");
        }

        if (!IsAllowed(config, facts))
        {
            return Reject(
                RejectReason.AuthorNotAllowed,
                config.AllowedUsers.Count > 0
                    ? $"{facts.Author} is not in the repository's allowed users."
                    : $"{facts.Author} does not have write permission on the repository.");
        }

        var trigger = TriggerRejection(config, facts);
        if (trigger is not null)
        {
            return trigger;
        }

        var excluded = facts.Labels.FirstOrDefault(l => config.ExcludeLabels.Contains(l, StringComparer.OrdinalIgnoreCase));
        if (excluded is not null)
        {
            return Reject(RejectReason.ExcludedLabel, $"The label \"{excluded}\" excludes this issue.");
        }

        if (config.IncludeLabels.Count > 0 && !facts.Labels.Any(l => config.IncludeLabels.Contains(l, StringComparer.OrdinalIgnoreCase)))
        {
            return Reject(
                RejectReason.IncludeLabelMissing,
                $"The issue has none of the required labels: {string.Join(", ", config.IncludeLabels)}.");
        }

        return null;
    }

    private static AdmissionDecision.Reject? TriggerRejection(RepoConfig config, TriggerFacts facts) => facts.Kind switch
    {
        TriggerKind.IssueOpened when !config.AutoSolve =>
            Reject(RejectReason.AutoSolveOff, "Auto-solve is off: a new issue needs the trigger label or mention."),
        TriggerKind.IssueLabeled when config.TriggerLabel is null
            || !string.Equals(facts.AddedLabel, config.TriggerLabel, StringComparison.OrdinalIgnoreCase) =>
            Reject(
                RejectReason.LabelNotTrigger,
                config.TriggerLabel is null
                    ? "The repository has no trigger label."
                    : $"The label \"{facts.AddedLabel}\" is not the trigger label \"{config.TriggerLabel}\"."),
        TriggerKind.CommentMention when config.TriggerMention is null || !Mentions(facts.CommentBody, config.TriggerMention) =>
            Reject(
                RejectReason.MentionMissing,
                config.TriggerMention is null
                    ? "The repository has no trigger mention."
                    : $"The comment does not mention {config.TriggerMention}."),
        _ => null,
    };

    private AdmissionDecision.Defer? Deferral(RepoConfig config, BudgetLedger ledger, TriggerFacts facts, DateTimeOffset now)
    {
        if (TokenBudget.Check(config.HourlyTokenBudget, config.DailyTokenBudget, ledger, now) is { } spent)
        {
            return spent;
        }

        if (facts.RunningJobs >= config.MaxConcurrentJobs)
        {
            return new AdmissionDecision.Defer(
                DeferReason.ConcurrencyLimit,
                $"{facts.RunningJobs} jobs are running, the repository's limit is {config.MaxConcurrentJobs}.",
                now + _options.ConcurrencyRecheckDelay);
        }

        return null;
    }

    private static bool IsAllowed(RepoConfig config, TriggerFacts facts) =>
        config.AllowedUsers.Count > 0
            ? config.AllowedUsers.Contains(facts.Author, StringComparer.OrdinalIgnoreCase)
            : facts.AuthorHasWritePermission;

    /// <summary>
    /// True when <paramref name="body"/> contains <paramref name="mention"/> as a whole login: "@agentmesh," counts,
    /// "@agentmesh-bot" and "me@agentmesh" do not.
    /// </summary>
    public static bool Mentions(string? body, string mention)
    {
        ArgumentException.ThrowIfNullOrEmpty(mention);
        if (string.IsNullOrEmpty(body))
        {
            return false;
        }

        var from = 0;
        while (true)
        {
            var at = body.IndexOf(mention, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            var end = at + mention.Length;
            var startsWord = at == 0 || !IsLoginChar(body[at - 1]);
            var endsWord = end == body.Length || !IsLoginChar(body[end]);
            if (startsWord && endsWord)
            {
                return true;
            }

            from = at + 1;
        }
    }

    private static bool IsLoginChar(char ch) => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '@' or '[' or ']';

    private static AdmissionDecision.Reject Reject(RejectReason reason, string message) => new(reason, message);
}
