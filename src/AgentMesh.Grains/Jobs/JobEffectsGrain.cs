using AgentMesh.Grains.Abstractions.Jobs;
using Microsoft.Extensions.Options;

namespace AgentMesh.Grains.Jobs;

/// <summary>
/// One job's side effects, performed in order by one activation. The reminder is the durable part: set before
/// the turn that writes effects (so a node that dies right after its commit leaves them to the reminder, on any
/// silo), moved to a failed effect's retry time, and dropped once nothing is pending. Reminders repeat at least
/// every <c>Grains:EffectsReminderPeriod</c>; a tick performs whatever is due.
/// </summary>
public sealed class JobEffectsGrain(IJobEffectsHost host, IOptions<GrainTimingOptions> timing, TimeProvider timeProvider) : Grain, IJobEffectsGrain, IRemindable
{
    private const string ReminderName = "effects";

    public Task ExpectAsync()
    {
        var period = timing.Value.EffectsReminderPeriod;
        return this.RegisterOrUpdateReminder(ReminderName, period, period);
    }

    public async Task PerformSoonAsync() => await PerformAsync().ConfigureAwait(true);

    public async Task<DateTimeOffset?> PerformAsync()
    {
        var next = await host.PerformDueAsync(this.GetPrimaryKeyString()).ConfigureAwait(true);
        if (next is { } due)
        {
            var wait = due - timeProvider.GetUtcNow();
            await this.RegisterOrUpdateReminder(ReminderName, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, timing.Value.EffectsReminderPeriod).ConfigureAwait(true);
        }
        else if (await this.GetReminder(ReminderName).ConfigureAwait(true) is { } reminder)
        {
            await this.UnregisterReminder(reminder).ConfigureAwait(true);
        }
        return next;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await PerformAsync().ConfigureAwait(true);
        }
    }
}
