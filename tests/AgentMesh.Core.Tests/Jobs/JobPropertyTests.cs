using System.Text.Json;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using AgentMesh.Core.Retry;
using AgentMesh.Core.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Shouldly;

namespace AgentMesh.Core.Tests.Jobs;

/// <summary>
/// Random command sequences (legal or not, with random fences, times and jitter) never reach an invalid state.
/// Refused commands are skipped, as the store would roll their turn back.
/// </summary>
public sealed class JobPropertyTests
{
    private const int HistoryLimit = 6;
    private const int DeliveredKept = 3;

    private static readonly JobStateMachine Machine = new(new JobActorOptions
    {
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(2), MaxAttempts = 3 },
        HistoryLimit = HistoryLimit,
        DeliveredMessagesKept = DeliveredKept,
        MaxUndeliveredMessages = 5,
    });

    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    /// <summary>One step of a scenario: a command, how far the clock moves first, and the jitter sample.</summary>
    public sealed record Step(JobCommand Command, int AdvanceSeconds, double Jitter);

    /// <summary>
    /// Commands weighted towards the work loop (claims, failures, rescues) so that sequences reach later attempts,
    /// fix rounds and re-runs, not only an early stop. A fence of 0 stands for "the next fresh fence" and -1 for
    /// "the current claim's fence"; <see cref="Resolve"/> fills them in, as the store would.
    /// </summary>
    private static Gen<JobCommand> Commands() => Gen.Frequency<JobCommand>(
        (8, Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 6))).Select(f => (JobCommand)new Start($"w{f % 3}", f))),
        (2, Gen.Constant<JobCommand>(new ReportPrReady("Done."))),
        (3, Gen.Choose(100, 101).Select(n => (JobCommand)new PrOpened(n, $"https://github.com/a/b/pull/{n}", "agentmesh/1"))),
        (2, Gen.Constant<JobCommand>(new ReportNeedsClarification(["Which one?"]))),
        (2, Gen.Constant<JobCommand>(new ReplyReceived("alice", "That one."))),
        (3, Gen.Constant<JobCommand>(new ReviewFeedback("bob", "Rename it."))),
        (3, Gen.Constant<JobCommand>(new FixPushed())),
        (1, Gen.Constant<JobCommand>(new Merged())),
        (1, Gen.Constant<JobCommand>(new PrClosedWithoutMerge())),
        (1, Gen.Constant<JobCommand>(new IssueClosed())),
        (1, Gen.Constant<JobCommand>(new Stop("alice"))),
        (6, Gen.Constant<JobCommand>(new TransientFailure("Network."))),
        (1, Gen.Constant<JobCommand>(new PermanentFailure("Archived."))),
        (5, Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(1, 6))).Select(f => (JobCommand)new RunLost(f))),
        (3, Gen.Constant<JobCommand>(new Rerun("alice"))),
        (3, Gen.Elements(ChatMessageKind.Message, ChatMessageKind.Interrupt).Select(k => (JobCommand)new PostChatMessage("carol", "Hi.", k))),
        (2, Gen.ListOf(Gen.Choose(1, 12).Select(i => (long)i)).Select(ids => (JobCommand)new MarkMessagesDelivered([.. ids]))),
        (3, Gen.Choose(0, 5000).Select(t => (JobCommand)new RecordUsage(new TokenUsage(t, t / 2, t * 3, t / 4), t / 1000m))));

    private static JobCommand Resolve(JobCommand command, JobActorState state) => command switch
    {
        Start { Fence: 0 } start => start with { Fence = state.LastFence + 1 },
        RunLost { Fence: -1 } => new RunLost(state.Lease?.Fence ?? state.LastFence),
        _ => command,
    };

    private static Arbitrary<(JobKind Kind, Step[] Steps)> Scenarios()
    {
        var step = Commands().SelectMany(
            c => Gen.Choose(0, 600).SelectMany(
                s => Gen.Choose(0, 999).Select(j => new Step(c, s, j / 1000.0))));
        var kind = Gen.Elements(JobKind.SolveIssue, JobKind.FixPullRequest);
        return kind.SelectMany(k => Gen.ArrayOf(step).Select(steps => (k, steps))).ToArbitrary();
    }

    [Fact]
    public void Random_command_sequences_keep_every_invariant()
    {
        Prop.ForAll(Scenarios(), scenario => RunAndCheck(scenario.Kind, scenario.Steps))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300).WithEndSize(80));
    }

    private static void RunAndCheck(JobKind kind, Step[] steps)
    {
        var pr = kind == JobKind.FixPullRequest ? new PullRequestLink(100, "https://github.com/a/b/pull/100", "feature/x") : null;
        var state = Machine.Create(new JobSpec("1", "a/b", kind == JobKind.FixPullRequest ? 100 : 7, kind, 2, pr), T0).State;
        var now = T0;
        foreach (var step in steps)
        {
            now = now.AddSeconds(step.AdvanceSeconds);
            var command = Resolve(step.Command, state);
            JobDecision decision;
            try
            {
                decision = Machine.Decide(state, command, now, SequenceRandom.Always(step.Jitter));
            }
            catch (JobDomainException)
            {
                continue;
            }

            CheckStep(state, command, decision);
            state = decision.State;
        }

        // What the store writes, it reads back unchanged.
        var json = JsonSerializer.Serialize(state, CoreJson.Options);
        JsonSerializer.Serialize(JsonSerializer.Deserialize<JobActorState>(json, CoreJson.Options), CoreJson.Options).ShouldBe(json);
    }

    private static void CheckStep(JobActorState before, JobCommand command, JobDecision decision)
    {
        var after = decision.State;
        var what = $"{command.Name} in {before.State.ToWire()}";

        after.Attempt.ShouldBeInRange(1, after.MaxAttempts, what);
        after.Run.ShouldBeGreaterThanOrEqualTo(before.Run, what);
        after.LastFence.ShouldBeGreaterThanOrEqualTo(before.LastFence, what);
        after.FixRounds.ShouldBeInRange(0, after.MaxFixRounds, what);

        if (before.State.IsTerminal() && after.State != before.State)
        {
            command.ShouldBeOfType<Rerun>(what);
        }

        if (command is RunLost && before.State is JobState.Stopped or JobState.Closed or JobState.Merged or JobState.Failed)
        {
            after.ShouldBeSameAs(before, what);
        }

        var (tb, ta) = (before.Usage.Total, after.Usage.Total);
        ta.CostUsd.ShouldBeGreaterThanOrEqualTo(tb.CostUsd, what);
        ta.Tokens.Input.ShouldBeGreaterThanOrEqualTo(tb.Tokens.Input, what);
        ta.Tokens.Output.ShouldBeGreaterThanOrEqualTo(tb.Tokens.Output, what);
        ta.Tokens.CacheRead.ShouldBeGreaterThanOrEqualTo(tb.Tokens.CacheRead, what);
        ta.Tokens.CacheWrite.ShouldBeGreaterThanOrEqualTo(tb.Tokens.CacheWrite, what);

        var ids = after.Mailbox.Select(m => m.Id).ToArray();
        ids.Distinct().Count().ShouldBe(ids.Length, what);
        ids.ShouldBe(ids.Order().ToArray(), what);
        ids.ShouldAllBe(id => id < after.NextMessageId, what);
        after.Mailbox.Count(m => m.Delivered).ShouldBeLessThanOrEqualTo(DeliveredKept, what);
        after.History.Count.ShouldBeLessThanOrEqualTo(HistoryLimit, what);

        // Who holds the job: a worker exactly while it runs, never in a state nobody works in.
        if (after.State == JobState.Running)
        {
            after.Lease.ShouldNotBeNull(what);
        }
        else if (after.State != JobState.Fixing)
        {
            after.Lease.ShouldBeNull(what);
        }

        if (after.State is JobState.PrOpened or JobState.Fixing or JobState.Merged)
        {
            after.PullRequest.ShouldNotBeNull(what);
        }

        if (decision.IsNoOp)
        {
            after.ShouldBeSameAs(before, what);
            decision.Events.ShouldBeEmpty(what);
        }
        else if (command is FixPushed && after.State == JobState.Fixing)
        {
            // A round pushed while another review waited: the push and the next round in one decision.
            decision.Events.Select(e => e.GetType()).ShouldBe([typeof(FixRoundPushed), typeof(FixRoundStarted)], what);
        }
        else if (command is RunLost)
        {
            // The lost run, then what becomes of the job: a retry, or a failure after the last attempt.
            decision.Events.Count.ShouldBe(2, what);
            decision.Events[0].ShouldBeOfType<JobRunLost>(what);
        }
        else
        {
            decision.Events.Count.ShouldBe(1, what);
        }

        if (after.State != before.State)
        {
            after.History[^1].ShouldBe(new JobTransition(before.State, after.State, command.Name, after.UpdatedAt, after.Attempt), what);
        }
    }
}
