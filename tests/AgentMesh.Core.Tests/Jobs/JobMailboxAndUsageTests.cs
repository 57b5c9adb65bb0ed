using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using AgentMesh.Core.Retry;
using AgentMesh.Core.Tests.Support;
using Shouldly;
using static AgentMesh.Core.Tests.Support.JobFixture;

namespace AgentMesh.Core.Tests.Jobs;

public sealed class JobMailboxAndUsageTests
{
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    [Fact]
    public void PostChatMessage_assigns_increasing_ids_and_marks_them_undelivered()
    {
        var s = Apply(Running(), new PostChatMessage("alice", "Use tabs.", ChatMessageKind.Message), T1);
        var decision = Machine.Decide(s, new PostChatMessage("bob", "Stop that.", ChatMessageKind.Interrupt), T1, MidRandom);

        decision.State.Mailbox.ShouldBe(
        [
            new ChatMessage(1, "alice", "Use tabs.", ChatMessageKind.Message, T1, false),
            new ChatMessage(2, "bob", "Stop that.", ChatMessageKind.Interrupt, T1, false),
        ]);
        decision.State.NextMessageId.ShouldBe(3);
        decision.Events.ShouldBe([new ChatMessagePosted(T1, new ChatMessage(2, "bob", "Stop that.", ChatMessageKind.Interrupt, T1, false))]);
    }

    [Fact]
    public void PostChatMessage_works_in_queued_and_waiting_so_the_next_attempt_reads_it()
    {
        Machine.Decide(Queued(), new PostChatMessage("a", "hi", ChatMessageKind.Message), T1, MidRandom).State.Mailbox.Count.ShouldBe(1);
        Machine.Decide(WaitingForReply(), new PostChatMessage("a", "hi", ChatMessageKind.Message), T1, MidRandom).State.Mailbox.Count.ShouldBe(1);
    }

    [Fact]
    public void MarkMessagesDelivered_marks_only_undelivered_known_ids_and_reports_them()
    {
        var s = Apply(Apply(Running(), new PostChatMessage("a", "one", ChatMessageKind.Message)), new PostChatMessage("a", "two", ChatMessageKind.Message));

        var decision = Machine.Decide(s, new MarkMessagesDelivered([2, 77]), T1, MidRandom);

        decision.State.Mailbox.Select(m => (m.Id, m.Delivered)).ShouldBe([(1L, false), (2L, true)]);
        decision.Events.Single().ShouldBeOfType<ChatMessagesDelivered>().MessageIds.ShouldBe([2L]);
        Machine.Decide(decision.State, new MarkMessagesDelivered([2]), T1, MidRandom).IsNoOp.ShouldBeTrue();
    }

    [Fact]
    public void Delivered_messages_beyond_the_kept_count_are_trimmed_oldest_first_and_ids_are_never_reused()
    {
        var machine = new JobStateMachine(Options with { DeliveredMessagesKept = 2 });
        var s = Running();
        for (var i = 1; i <= 4; i++)
        {
            s = machine.Decide(s, new PostChatMessage("a", $"m{i}", ChatMessageKind.Message), T1, MidRandom).State;
        }

        s = machine.Decide(s, new MarkMessagesDelivered([1, 2, 3]), T1, MidRandom).State;
        s.Mailbox.Select(m => m.Id).ShouldBe([2L, 3L, 4L]);

        s = machine.Decide(s, new PostChatMessage("a", "m5", ChatMessageKind.Message), T1, MidRandom).State;
        s.Mailbox[^1].Id.ShouldBe(5);
    }

    [Fact]
    public void A_full_mailbox_refuses_more_messages()
    {
        var machine = new JobStateMachine(Options with { MaxUndeliveredMessages = 2 });
        var s = machine.Decide(Running(), new PostChatMessage("a", "1", ChatMessageKind.Message), T1, MidRandom).State;
        s = machine.Decide(s, new PostChatMessage("a", "2", ChatMessageKind.Message), T1, MidRandom).State;

        var ex = Should.Throw<JobMailboxFullException>(() => machine.Decide(s, new PostChatMessage("a", "3", ChatMessageKind.Message), T1, MidRandom));

        ex.Message.ShouldBe("Job 42 already has 2 undelivered chat messages; wait for the agent to read them.");
    }

    [Fact]
    public void RecordUsage_accumulates_per_attempt_and_in_total_and_a_new_attempt_resets_the_attempt_total()
    {
        var s = Apply(Running(), new RecordUsage(new TokenUsage(100, 20, 300, 40), 0.25m));
        var decision = Machine.Decide(s, new RecordUsage(new TokenUsage(1, 2, 3, 4), 0.01m), T1, MidRandom);

        var expected = new UsageTotals(new TokenUsage(101, 22, 303, 44), 0.26m);
        decision.State.Usage.ShouldBe(new JobUsage(expected, expected));
        decision.Events.ShouldBe([new UsageRecorded(T1, 1, 1, new TokenUsage(1, 2, 3, 4), 0.01m, expected)]);

        var retried = Apply(Apply(decision.State, new TransientFailure("boom")), new Start("node-a/1", 2));
        retried.Usage.ShouldBe(new JobUsage(UsageTotals.Zero, expected));
    }

    [Fact]
    public void RecordUsage_still_counts_after_the_job_ended()
    {
        var decision = Machine.Decide(Stopped(), new RecordUsage(new TokenUsage(5, 0, 0, 0), 0m), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Stopped);
        decision.State.Usage.Total.Tokens.Input.ShouldBe(5);
    }

    [Fact]
    public void RecordUsage_refuses_negative_counts()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Machine.Decide(Running(), new RecordUsage(new TokenUsage(1, -1, 0, 0), 0m), T1, MidRandom))
            .Message.ShouldStartWith("Output tokens must not be negative.");
        Should.Throw<ArgumentOutOfRangeException>(() => Machine.Decide(Running(), new RecordUsage(TokenUsage.Zero, -0.01m), T1, MidRandom))
            .Message.ShouldStartWith("CostUsd must not be negative.");
    }

    [Fact]
    public void History_keeps_only_the_most_recent_transitions()
    {
        var machine = new JobStateMachine(Options with { HistoryLimit = 3, Retry = new RetryOptions { MaxAttempts = 10 } });
        var s = machine.Create(new JobSpec("1", "a/b", 1, JobKind.SolveIssue, 0), T0).State;
        for (var fence = 1; fence <= 3; fence++)
        {
            s = machine.Decide(s, new Start("w", fence), T0, MidRandom).State;
            s = machine.Decide(s, new TransientFailure("x"), T0, MidRandom).State;
        }

        s.History.Select(h => (h.From, h.To, h.Attempt)).ShouldBe(
        [
            (JobState.Running, JobState.Queued, 3),
            (JobState.Queued, JobState.Running, 3),
            (JobState.Running, JobState.Queued, 4),
        ]);
    }
}
