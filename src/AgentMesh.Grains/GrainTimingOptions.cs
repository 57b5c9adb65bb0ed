namespace AgentMesh.Grains;

/// <summary>
/// How often the grains' safety-net reminders fire. Bound from the <c>Grains</c> section. Reminders
/// are durable: they bring a grain back after its silo died, so their period bounds how long work
/// waits after a crash.
/// </summary>
public sealed class GrainTimingOptions
{
    public const string SectionName = "Grains";

    /// <summary>
    /// The period of the reminder that finishes an acknowledged delivery whose processing did not
    /// complete (its silo died after the 202). Default 1 minute, Orleans' default minimum; a shorter
    /// period lowers Orleans' <c>ReminderOptions.MinimumReminderPeriod</c> with it (it logs a warning).
    /// </summary>
    public TimeSpan DeliveryReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a job grain checks that its running run's agent still runs (a run whose silo died without
    /// Orleans' membership telling a live node, e.g. a single node killed and restarted). Default 1 minute.
    /// A silo declared dead has its runs checked at once, whatever this is.
    /// </summary>
    public TimeSpan RunWatchPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a job's side effects (its comments) wait, at most, when the node that committed them died before
    /// performing them; also the longest wait between tries of a failing effect. Default 1 minute.
    /// </summary>
    public TimeSpan EffectsReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The shortest reminder period in use, which Orleans' minimum must allow.</summary>
    public TimeSpan ShortestPeriod => new[] { DeliveryReminderPeriod, RunWatchPeriod, EffectsReminderPeriod }.Min();

    /// <summary>Returns the problems with these options, each naming the key.</summary>
    public IReadOnlyList<string> Validate() =>
        [
            .. AtLeastOneSecond(nameof(DeliveryReminderPeriod), DeliveryReminderPeriod),
            .. AtLeastOneSecond(nameof(RunWatchPeriod), RunWatchPeriod),
            .. AtLeastOneSecond(nameof(EffectsReminderPeriod), EffectsReminderPeriod),
        ];

    private static IEnumerable<string> AtLeastOneSecond(string key, TimeSpan period) =>
        period < TimeSpan.FromSeconds(1) ? [$"{SectionName}:{key} must be at least 1 second, not {period}."] : [];
}
