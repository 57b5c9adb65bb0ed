using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Retry;

namespace AgentMesh.Core.Tests.Support;

/// <summary>Builds jobs in each state through legal commands only, so fixtures cannot drift from the machine.</summary>
internal static class JobFixture
{
    public const string JobId = "42";
    public const int IssueNumber = 7;
    public const int PrNumber = 108;
    public const string PrUrl = "https://github.com/acme/widgets/pull/108";
    public const string Branch = "agentmesh/issue-7";

    public static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static readonly JobActorOptions Options = new()
    {
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(15), MaxAttempts = 3 },
    };

    public static readonly JobStateMachine Machine = new(Options);

    public static readonly SequenceRandom MidRandom = SequenceRandom.Always(0.5);

    public static JobActorState Queued(int maxFixRounds = 2) =>
        Machine.Create(new JobSpec(JobId, "acme/widgets", IssueNumber, JobKind.SolveIssue, maxFixRounds), T0).State;

    public static JobActorState QueuedFixJob() =>
        Machine.Create(
            new JobSpec(JobId, "acme/widgets", PrNumber, JobKind.FixPullRequest, 2, new PullRequestLink(PrNumber, PrUrl, "feature/x")),
            T0).State;

    public static JobActorState Running() => Apply(Queued(), new Start("node-a/0", 1));

    public static JobActorState WaitingForReply() => Apply(Running(), new ReportNeedsClarification(["Which database?"]));

    public static JobActorState WaitingForApproval() =>
        Apply(Running(), new RequestApproval("0123abcd", "Changed the workflow.", [".github/workflows/ci.yml"]));

    public static JobActorState PrOpened(int maxFixRounds = 2) =>
        Apply(Apply(Queued(maxFixRounds), new Start("node-a/0", 1)), new PrOpened(PrNumber, PrUrl, Branch));

    public static JobActorState FixingUnclaimed() => Apply(PrOpened(), new ReviewFeedback("alice", "Rename the method."));

    public static JobActorState FixingClaimed() => Apply(FixingUnclaimed(), new Start("node-b/1", 2));

    public static JobActorState Merged() => Apply(PrOpened(), new Merged());

    public static JobActorState Failed() => Apply(Running(), new PermanentFailure("The repository is archived."));

    public static JobActorState Stopped() => Apply(Queued(), new Stop("alice"));

    public static JobActorState Closed() => Apply(Queued(), new IssueClosed());

    /// <summary>Every state a job can be in, with a label; fixing appears claimed and unclaimed.</summary>
    public static IReadOnlyList<(string Label, Func<JobActorState> Make)> AllStates { get; } =
    [
        ("queued", () => Queued()),
        ("running", Running),
        ("waiting_for_reply", WaitingForReply),
        ("waiting_for_approval", WaitingForApproval),
        ("pr_opened", () => PrOpened()),
        ("fixing (unclaimed)", FixingUnclaimed),
        ("fixing (claimed)", FixingClaimed),
        ("merged", Merged),
        ("failed", Failed),
        ("stopped", Stopped),
        ("closed", Closed),
    ];

    public static JobActorState Apply(JobActorState state, JobCommand command, DateTimeOffset? now = null) =>
        Machine.Decide(state, command, now ?? T0, MidRandom).State;
}
