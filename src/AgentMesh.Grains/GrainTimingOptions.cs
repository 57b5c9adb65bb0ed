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

    /// <summary>Returns the problems with these options, each naming the key.</summary>
    public IReadOnlyList<string> Validate() =>
        DeliveryReminderPeriod < TimeSpan.FromSeconds(1)
            ? [$"{SectionName}:DeliveryReminderPeriod must be at least 1 second, not {DeliveryReminderPeriod}."]
            : [];
}
