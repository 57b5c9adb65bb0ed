namespace AgentMesh.Server.Maintenance;

/// <summary>How long finished work is kept (section <c>Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Job log lines older than this are deleted. Default 30 days.</summary>
    public TimeSpan LogLines { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Finished jobs (merged, failed, stopped, closed) not updated for this long are deleted with
    /// their logs, events and mail. Default: none (kept until purged through the admin API).
    /// </summary>
    public TimeSpan? FinishedJobs { get; set; }

    /// <summary>Shortest <see cref="Usage"/> allowed: the dashboard's longest chart (30 days) and a tenant's monthly cost budget read this far back.</summary>
    public static readonly TimeSpan MinimumUsage = TimeSpan.FromDays(31);

    /// <summary>
    /// Hours of the usage read model (<c>usage_hourly</c>) that ended longer ago than this are deleted. Default 90
    /// days; at least <see cref="MinimumUsage"/> (31 days).
    /// </summary>
    public TimeSpan Usage { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the purge runs. Default 1 hour.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (LogLines <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:LogLines must be positive, not {LogLines}.");
        }
        if (FinishedJobs is { } finished && finished <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:FinishedJobs must be positive when set, not {finished}.");
        }
        if (Usage < MinimumUsage)
        {
            problems.Add($"{SectionName}:Usage must be at least {MinimumUsage} (the dashboard's 30-day charts and a tenant's monthly cost budget read that far back), not {Usage}.");
        }
        if (Interval <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:Interval must be positive, not {Interval}.");
        }
        return problems;
    }
}
