using AgentMesh.Grains.Abstractions.Deliveries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentMesh.Grains.Deliveries;

/// <summary>
/// The durable inbox for one delivery. Accepting writes the delivery and registers a reminder
/// before it returns (so before the endpoint's 202); processing runs as a one-way call to itself
/// right after, and the reminder runs it again if the silo died first. Processing marks the state
/// processed, drops the payload and unregisters the reminder.
/// </summary>
public sealed partial class DeliveryGrain(
    [PersistentState("delivery", GrainStorage.Name)] IPersistentState<DeliveryState> delivery,
    IDeliveryProcessor processor,
    IOptions<GrainTimingOptions> timing,
    TimeProvider timeProvider,
    ILogger<DeliveryGrain> logger) : Grain, IDeliveryGrain, IRemindable
{
    private const string ReminderName = "finish-delivery";

    // The reminder this activation registered: unregistering it needs no read of the reminder table.
    private IGrainReminder? _reminder;

    public async Task<bool> AcceptAsync(WebhookDelivery incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (delivery.State.Accepted)
        {
            return false;
        }
        var state = delivery.State;
        state.Event = incoming.Event;
        state.Action = incoming.Action;
        state.Repository = incoming.Repository;
        state.InstallationId = incoming.InstallationId;
        state.Payload = incoming.Payload;
        state.ReceivedAt = incoming.ReceivedAt;
        // The reminder first: a crash between the two writes leaves a reminder for nothing (harmless),
        // never a stored delivery without one.
        var period = timing.Value.DeliveryReminderPeriod;
        _reminder = await this.RegisterOrUpdateReminder(ReminderName, period, period).ConfigureAwait(true);
        await delivery.WriteStateAsync().ConfigureAwait(true);
        // Queued behind this turn: the caller gets its answer first.
        _ = this.AsReference<IDeliveryGrain>().ProcessAsync();
        return true;
    }

    public async Task ProcessAsync()
    {
        var state = delivery.State;
        if (!state.Accepted || state.ProcessedAt is not null)
        {
            await ForgetReminderAsync().ConfigureAwait(true);
            return;
        }
        var incoming = new WebhookDelivery(this.GetPrimaryKeyString(), state.Event!, state.Action, state.Repository, state.InstallationId, state.Payload ?? [], state.ReceivedAt);
        try
        {
            state.Outcome = await processor.ProcessAsync(incoming, CancellationToken.None).ConfigureAwait(true);
            LogProcessed(logger, incoming.DeliveryId, incoming.Event, incoming.Action ?? "", state.Outcome);
        }
        catch (Exception ex)
        {
            // Kept with the delivery for operators; retrying a delivery that broke the handler would loop.
            state.Error = ex.Message;
            LogFailed(logger, ex, incoming.DeliveryId);
        }
        state.ProcessedAt = timeProvider.GetUtcNow();
        state.Payload = null;
        await delivery.WriteStateAsync().ConfigureAwait(true);
        await ForgetReminderAsync().ConfigureAwait(true);
    }

    public Task<DeliveryStatus?> GetStatusAsync()
    {
        var state = delivery.State;
        return Task.FromResult(state.Accepted
            ? new DeliveryStatus(this.GetPrimaryKeyString(), state.Event!, state.Action, state.Repository, state.ReceivedAt, state.ProcessedAt, state.Outcome, state.Error)
            : null);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? ProcessAsync() : Task.CompletedTask;

    private async Task ForgetReminderAsync()
    {
        // After a restart this activation never registered it: look it up once.
        if ((_reminder ?? await this.GetReminder(ReminderName).ConfigureAwait(true)) is { } reminder)
        {
            await this.UnregisterReminder(reminder).ConfigureAwait(true);
            _reminder = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} ({Event}.{Action}): {Outcome}")]
    private static partial void LogProcessed(ILogger logger, string deliveryId, string @event, string action, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be processed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string deliveryId);
}
