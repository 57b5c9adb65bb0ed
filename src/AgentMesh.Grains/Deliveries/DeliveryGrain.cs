using AgentMesh.Grains.Abstractions.Deliveries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace AgentMesh.Grains.Deliveries;

/// <summary>
/// The durable inbox for one delivery. Accepting writes the delivery and registers a reminder
/// before it returns (so before the endpoint's 202); processing runs as a one-way call to itself
/// right after, and the reminder runs it again if the silo died first. Processing marks the state
/// processed, drops the payload and unregisters the reminder.
/// <para>
/// A delivery id is nearly always new, so accepting does not read the grain's storage first: it stores the delivery
/// as the grain's first state, which the storage refuses when a state was stored before (a redelivery). Where the
/// database takes two writes at once (<see cref="GrainStorageWrites.AtOnce"/>), the reminder and the state are
/// written together; a silo dying between the two, before any 202, can leave the delivery stored without its
/// reminder, and the redelivery of an unanswered webhook then finds it unprocessed and finishes it.
/// </para>
/// </summary>
public sealed partial class DeliveryGrain(
    IDeliveryProcessor processor,
    IOptions<GrainTimingOptions> timing,
    IOptions<GrainStorageWrites> writes,
    TimeProvider timeProvider,
    ILogger<DeliveryGrain> logger) : Grain, IDeliveryGrain, IRemindable
{
    private const string ReminderName = "finish-delivery";

    // The reminder this activation registered: unregistering it needs no read of the reminder table.
    private IGrainReminder? _reminder;

    private LazyPersistentState<DeliveryState>? _delivery;

    private LazyPersistentState<DeliveryState> Delivery =>
        _delivery ??= new("delivery", this.GetGrainId(), ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name));

    public async Task<bool> AcceptAsync(WebhookDelivery incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (Delivery.Known is { Accepted: true })
        {
            return false;
        }
        var received = new DeliveryState
        {
            Event = incoming.Event,
            Action = incoming.Action,
            Repository = incoming.Repository,
            InstallationId = incoming.InstallationId,
            Payload = incoming.Payload,
            ReceivedAt = incoming.ReceivedAt,
        };
        bool stored;
        if (writes.Value.AtOnce)
        {
            var reminding = RemindAsync();
            var storing = Delivery.TryCreateAsync(received);
            await Task.WhenAll(reminding, storing).ConfigureAwait(true);
            stored = storing.Result;
        }
        else
        {
            // One write at a time, the reminder first: a crash between the two leaves a reminder for nothing.
            await RemindAsync().ConfigureAwait(true);
            stored = await Delivery.TryCreateAsync(received).ConfigureAwait(true);
        }
        if (!stored)
        {
            return await AcceptAgainAsync().ConfigureAwait(true);
        }
        // Queued behind this turn: the caller gets its answer first.
        _ = this.AsReference<IDeliveryGrain>().ProcessAsync();
        return true;
    }

    public async Task ProcessAsync()
    {
        var state = await Delivery.GetAsync().ConfigureAwait(true);
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
        await Delivery.WriteAsync().ConfigureAwait(true);
        await ForgetReminderAsync().ConfigureAwait(true);
    }

    public async Task<DeliveryStatus?> GetStatusAsync()
    {
        var state = await Delivery.GetAsync().ConfigureAwait(true);
        return state.Accepted
            ? new DeliveryStatus(this.GetPrimaryKeyString(), state.Event!, state.Action, state.Repository, state.ReceivedAt, state.ProcessedAt, state.Outcome, state.Error)
            : null;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? ProcessAsync() : Task.CompletedTask;

    private async Task RemindAsync()
    {
        var period = timing.Value.DeliveryReminderPeriod;
        _reminder = await this.RegisterOrUpdateReminder(ReminderName, period, period).ConfigureAwait(true);
    }

    // The delivery was stored before: a duplicate. One never processed was stored by an accept that never answered
    // (its silo died before its reminder was written); the reminder just registered covers it now, and it runs at once.
    private async Task<bool> AcceptAgainAsync()
    {
        if ((await Delivery.GetAsync().ConfigureAwait(true)).ProcessedAt is null)
        {
            LogFinishingUnanswered(logger, this.GetPrimaryKeyString());
            _ = this.AsReference<IDeliveryGrain>().ProcessAsync();
        }
        else
        {
            await ForgetReminderAsync().ConfigureAwait(true);
        }
        return false;
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} came again, stored but never processed: processing it now")]
    private static partial void LogFinishingUnanswered(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be processed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string deliveryId);
}
