using Polly;
using Polly.Retry;

namespace AgentMesh.Server.Actors;

/// <summary>
/// Retries a grain call that Orleans failed in transit because the silo hosting the grain was leaving the cluster
/// ("Silo stopping", "the target silo became unavailable"): while a silo stops gracefully, calls to its grains fail
/// for a moment, until the grains activate on another silo. Such a failure may also come after the grain ran the
/// call (its answer lost with the silo), so only calls whose repetition is harmless, or made harmless by the caller
/// (see <see cref="JobActor.StartAsync"/>), go through it. What it adds to Polly's retry: which failures are the
/// transit's, and delays that outlast a silo's departure (about ten seconds in all).
/// </summary>
public static class GrainCallRetry
{
    public static ResiliencePipeline Pipeline { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<OrleansMessageRejectionException>().Handle<SiloUnavailableException>(),
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            UseJitter = true,
        })
        .Build();
}
