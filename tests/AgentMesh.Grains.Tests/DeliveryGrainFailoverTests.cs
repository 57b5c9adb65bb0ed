using System.Collections.Concurrent;
using System.Diagnostics;
using AgentMesh.Grains.Abstractions.Deliveries;
using AgentMesh.Grains.Deliveries;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Shouldly;
using Xunit;

namespace AgentMesh.Grains.Tests;

/// <summary>The durable inbox in a fleet: an acknowledged delivery survives the death of the silo that took it.</summary>
public sealed class DeliveryGrainFailoverTests
{
    [Fact]
    public async Task A_delivery_whose_silo_dies_mid_processing_is_processed_by_another_silo()
    {
        var processor = new RecordingProcessor();
        await using var cluster = await PostgresCluster.StartAsync(3, services => services.AddSingleton<IDeliveryProcessor>(sp => processor.On(sp)), TimeSpan.FromSeconds(2));
        var delivery = new WebhookDelivery("d-failover", "issues", "opened", "octo/widgets", null, "{}"u8.ToArray(), DateTimeOffset.UtcNow);
        var grain = cluster.Client.GetGrain<IDeliveryGrain>(delivery.DeliveryId);
        processor.HoldFirst();

        (await grain.AcceptAsync(delivery)).ShouldBeTrue("the endpoint would answer 202 now");
        var first = await Eventually.WithinAsync(processor.FirstStarted, "the delivery's processing to start on the silo that took it", TimeSpan.FromSeconds(30));
        var dying = cluster.Silos.Single(s => s.SiloAddress == first);
        await cluster.KillSiloAsync(dying);

        await Eventually.UntilAsync(() => processor.Completed.ContainsKey(delivery.DeliveryId), "another silo to process the delivery (its reminder fires there)", TimeSpan.FromSeconds(60));
        processor.Completed[delivery.DeliveryId].ShouldNotBe(first, "the dead silo processed nothing");
        DeliveryStatus? status = null;
        await Eventually.UntilAsync(async () => (status = await grain.GetStatusAsync()) is { Processed: true }, "the delivery to be marked processed", TimeSpan.FromSeconds(30));
        status!.Outcome.ShouldBe("processed");
        (await grain.AcceptAsync(delivery)).ShouldBeFalse("a redelivery of the same id is a duplicate");
    }

    [Fact]
    public async Task A_delivery_is_stored_once_whichever_silo_takes_its_duplicates()
    {
        var processor = new RecordingProcessor();
        await using var cluster = await PostgresCluster.StartAsync(2, services => services.AddSingleton<IDeliveryProcessor>(sp => processor.On(sp)), TimeSpan.FromSeconds(2));
        var delivery = new WebhookDelivery("d-dup", "issues", "opened", "octo/widgets", null, "{}"u8.ToArray(), DateTimeOffset.UtcNow);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cluster.Client.GetGrain<IDeliveryGrain>(delivery.DeliveryId).AcceptAsync(delivery)));

        answers.Count(a => a).ShouldBe(1);
        await Eventually.UntilAsync(() => processor.Completed.ContainsKey(delivery.DeliveryId), "the delivery to be processed");
        processor.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task A_new_delivery_is_stored_without_first_reading_its_grain_storage()
    {
        var processor = new RecordingProcessor();
        await using var cluster = await PostgresCluster.StartAsync(1, services => services.AddSingleton<IDeliveryProcessor>(sp => processor.On(sp)), TimeSpan.FromSeconds(2));
        using var statements = new PostgresStatements();
        var delivery = new WebhookDelivery("d-new", "issues", "opened", "octo/widgets", null, "{}"u8.ToArray(), DateTimeOffset.UtcNow);

        (await cluster.Client.GetGrain<IDeliveryGrain>(delivery.DeliveryId).AcceptAsync(delivery)).ShouldBeTrue();

        await Eventually.UntilAsync(() => processor.Completed.ContainsKey(delivery.DeliveryId), "the delivery to be processed");
        var storageCalls = statements.Texts.Where(t => t.Contains("OrleansStorage", StringComparison.OrdinalIgnoreCase) || t.Contains("WriteToStorage", StringComparison.OrdinalIgnoreCase)).ToList();
        storageCalls.ShouldNotBeEmpty("the statements of the grain storage are seen");
        storageCalls.ShouldNotContain(t => t.Contains("PayloadBinary,", StringComparison.Ordinal) && t.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase),
            "a new delivery's grain writes its first state without reading storage: " + string.Join("\n---\n", storageCalls));
    }

    [Fact]
    public async Task A_delivery_stored_without_its_reminder_is_processed_when_it_comes_again()
    {
        var processor = new RecordingProcessor();
        await using var cluster = await PostgresCluster.StartAsync(2, services => services.AddSingleton<IDeliveryProcessor>(sp => processor.On(sp)), TimeSpan.FromSeconds(2));
        var delivery = new WebhookDelivery("d-unanswered", "issues", "opened", "octo/widgets", null, "{}"u8.ToArray(), DateTimeOffset.UtcNow);
        var grain = cluster.Client.GetGrain<IDeliveryGrain>(delivery.DeliveryId);
        // What a silo dying between the state's write and the reminder's (they are written at once) leaves behind; it
        // never answered, so GitHub shows the delivery failed and someone redelivers it.
        var storage = cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        var stored = new DeliveryState { Event = delivery.Event, Action = delivery.Action, Repository = delivery.Repository, Payload = delivery.Payload, ReceivedAt = delivery.ReceivedAt };
        await storage.WriteStateAsync("delivery", grain.GetGrainId(), new GrainState<DeliveryState>(stored));

        (await grain.AcceptAsync(delivery)).ShouldBeFalse("the delivery was stored before: the answer is a duplicate's");

        await Eventually.UntilAsync(() => processor.Completed.ContainsKey(delivery.DeliveryId), "the delivery stored without its reminder to be processed");
        DeliveryStatus? status = null;
        await Eventually.UntilAsync(async () => (status = await grain.GetStatusAsync()) is { Processed: true }, "the delivery to be marked processed");
        processor.Calls.ShouldBe(1);
        (await grain.AcceptAsync(delivery)).ShouldBeFalse();
        processor.Calls.ShouldBe(1, "a processed delivery that comes again is only a duplicate");
    }

    /// <summary>The SQL statements Npgsql runs in this process while it lives (its tracing, as OpenTelemetry would see it).</summary>
    private sealed class PostgresStatements : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<string> _texts = new();

        public PostgresStatements()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    foreach (var tag in activity.TagObjects)
                    {
                        if (tag.Key is "db.query.text" or "db.statement" && tag.Value is string text)
                        {
                            _texts.Enqueue(text);
                        }
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<string> Texts => [.. _texts];

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Records which silo processed what; can hold the first call unanswered, as a slow GitHub would.</summary>
    private sealed class RecordingProcessor
    {
        private readonly TaskCompletionSource<SiloAddress> _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;
        private bool _holdFirst;

        public ConcurrentDictionary<string, SiloAddress> Completed { get; } = new();

        public Task<SiloAddress> FirstStarted => _firstStarted.Task;

        public int Calls => Volatile.Read(ref _calls);

        public void HoldFirst() => _holdFirst = true;

        public IDeliveryProcessor On(IServiceProvider silo) => new SiloProcessor(this, silo.GetRequiredService<ILocalSiloDetails>());

        private sealed class SiloProcessor(RecordingProcessor owner, ILocalSiloDetails silo) : IDeliveryProcessor
        {
            public async Task<string> ProcessAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
            {
                if (Interlocked.Increment(ref owner._calls) == 1)
                {
                    owner._firstStarted.TrySetResult(silo.SiloAddress);
                    if (owner._holdFirst)
                    {
                        // Never answers: its silo is killed while it waits.
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                }
                owner.Completed[delivery.DeliveryId] = silo.SiloAddress;
                return "processed";
            }
        }
    }
}
