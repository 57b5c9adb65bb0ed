using AgentMesh.Core.Retry;
using AgentMesh.Core.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Shouldly;

namespace AgentMesh.Core.Tests.Retry;

public sealed class RetryScheduleTests
{
    private static readonly RetrySchedule Schedule = new(new RetryOptions
    {
        BaseDelay = TimeSpan.FromSeconds(10),
        MaxDelay = TimeSpan.FromSeconds(100),
        MaxAttempts = 5,
    });

    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(4, 80)]
    [InlineData(5, 100)]
    [InlineData(60, 100)]
    [InlineData(5000, 100)]
    public void The_exponential_delay_doubles_from_the_base_and_stops_at_the_cap(int failedAttempt, int seconds)
    {
        Schedule.ExponentialDelay(failedAttempt).ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData(1, 0.0, 5000)]
    [InlineData(1, 0.5, 7500)]
    [InlineData(1, 0.999, 9995)]
    [InlineData(3, 0.25, 25000)]
    [InlineData(9, 0.5, 75000)]
    public void Equal_jitter_is_half_fixed_plus_a_random_share_of_the_other_half(int failedAttempt, double random, int milliseconds)
    {
        Schedule.Delay(failedAttempt, SequenceRandom.Always(random)).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Fact]
    public void Plan_retries_until_the_last_attempt_then_gives_up()
    {
        Schedule.Plan(1, 5, Now, SequenceRandom.Always(0.5)).ShouldBe(new RetryPlan(true, 2, TimeSpan.FromSeconds(7.5), Now.AddSeconds(7.5)));
        Schedule.Plan(4, 5, Now, SequenceRandom.Always(0)).ShouldBe(new RetryPlan(true, 5, TimeSpan.FromSeconds(40), Now.AddSeconds(40)));
        Schedule.Plan(5, 5, Now, SequenceRandom.Always(0.5)).ShouldBe(RetryPlan.GiveUp);
        Schedule.Plan(1, 1, Now, SequenceRandom.Always(0.5)).ShouldBe(RetryPlan.GiveUp);
    }

    [Fact]
    public void The_same_random_sequence_gives_the_same_delays()
    {
        var a = new SequenceRandom(0.1, 0.7, 0.3);
        var b = new SequenceRandom(0.1, 0.7, 0.3);

        Enumerable.Range(1, 3).Select(n => Schedule.Delay(n, a)).ShouldBe(Enumerable.Range(1, 3).Select(n => Schedule.Delay(n, b)));
    }

    [Fact]
    public void A_random_source_outside_zero_to_one_is_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Schedule.Delay(1, SequenceRandom.Always(1.0)))
            .Message.ShouldStartWith("IRandomSource.NextDouble must return a value in [0, 1).");
    }

    [Fact]
    public void Every_delay_lies_between_half_the_capped_exponential_and_the_capped_exponential()
    {
        var attempts = Gen.Choose(1, 200);
        var samples = Gen.Choose(0, 999_999).Select(i => i / 1_000_000.0);
        Prop.ForAll(
                attempts.SelectMany(n => samples.Select(r => (n, r))).ToArbitrary(),
                t =>
                {
                    var exponential = Schedule.ExponentialDelay(t.n);
                    var delay = Schedule.Delay(t.n, SequenceRandom.Always(t.r));
                    return delay >= exponential / 2 && delay < exponential + TimeSpan.FromTicks(1) && exponential <= TimeSpan.FromSeconds(100);
                })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void The_default_schedule_gives_the_delays_docs_core_md_quotes()
    {
        var defaults = new RetrySchedule(new RetryOptions());

        Enumerable.Range(1, 3).Select(n => defaults.Delay(n, SequenceRandom.Always(0.5)).TotalSeconds).ShouldBe([22.5, 45, 90]);
        defaults.ExponentialDelay(5).ShouldBe(TimeSpan.FromMinutes(8));
        defaults.ExponentialDelay(6).ShouldBe(TimeSpan.FromMinutes(15));
    }

    [Fact]
    public void The_shared_random_source_stays_in_zero_to_one()
    {
        Enumerable.Range(0, 100).Select(_ => SharedRandomSource.Instance.NextDouble()).ShouldAllBe(d => d >= 0 && d < 1);
    }

    [Fact]
    public void Options_defaults_are_30_seconds_15_minutes_and_3_attempts()
    {
        var defaults = new RetryOptions();

        (defaults.BaseDelay, defaults.MaxDelay, defaults.MaxAttempts).ShouldBe((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15), 3));
        defaults.Validate().ShouldBeEmpty();
    }

    [Fact]
    public void Validate_lists_every_problem_with_an_exact_message()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromSeconds(-1), MaxAttempts = 0 };

        options.Validate().ShouldBe(
        [
            "BaseDelay must be positive (was 00:00:00).",
            "MaxDelay (-00:00:01) must be at least BaseDelay (00:00:00).",
            "MaxAttempts must be between 1 and 100 (was 0).",
        ]);
        Should.Throw<InvalidConfigurationException>(() => new RetrySchedule(options)).Message.ShouldBe(
            "RetryOptions is invalid: BaseDelay must be positive (was 00:00:00). MaxDelay (-00:00:01) must be at least BaseDelay (00:00:00). MaxAttempts must be between 1 and 100 (was 0).");
    }

    [Fact]
    public void Job_actor_options_prefix_retry_problems_and_check_their_own_bounds()
    {
        var options = new AgentMesh.Core.Jobs.JobActorOptions { Retry = new RetryOptions { MaxAttempts = 101 }, HistoryLimit = 0, DeliveredMessagesKept = -1, MaxUndeliveredMessages = 0 };

        options.Validate().ShouldBe(
        [
            "Retry.MaxAttempts must be between 1 and 100 (was 101).",
            "HistoryLimit must be between 1 and 1000 (was 0).",
            "DeliveredMessagesKept must be between 0 and 1000 (was -1).",
            "MaxUndeliveredMessages must be between 1 and 10000 (was 0).",
        ]);
        new AgentMesh.Core.Jobs.JobActorOptions().Validate().ShouldBeEmpty();
    }
}
