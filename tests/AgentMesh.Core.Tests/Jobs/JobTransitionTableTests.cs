using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Tests.Support;
using Shouldly;
using static AgentMesh.Core.Tests.Support.JobFixture;

namespace AgentMesh.Core.Tests.Jobs;

/// <summary>
/// The whole state × command table, checked both ways: every pair listed as legal is accepted, every other pair
/// throws <see cref="InvalidJobTransitionException"/> naming the state and the command. The table is written out
/// here independently of the machine (and mirrored in docs/core.md), so a change to either shows up.
/// </summary>
public sealed class JobTransitionTableTests
{
    /// <summary>One sample of every command. PrOpened repeats the fixture's PR so it is the documented no-op in pr_opened.</summary>
    private static readonly JobCommand[] Samples =
    [
        new Start("node-z/0", 100),
        new ReportPrReady("Done."),
        new PrOpened(PrNumber, PrUrl, Branch),
        new ReportNeedsClarification(["Why?"]),
        new ReplyReceived("alice", "Because."),
        new ReviewFeedback("alice", "Rename it."),
        new FixPushed(),
        new Merged(),
        new PrClosedWithoutMerge(),
        new IssueClosed(),
        new Stop("alice"),
        new TransientFailure("Network."),
        new PermanentFailure("Archived."),
        new RunLost(1),
        new Rerun("alice"),
        new PostChatMessage("alice", "Hi.", ChatMessageKind.Message),
        new MarkMessagesDelivered([1]),
        new RecordUsage(new TokenUsage(1, 1, 0, 0), 0.001m),
        new RequestApproval("0123abcd", "Done.", [".github/workflows/ci.yml"]),
        new Approve("alice"),
    ];

    private static readonly string[] Anytime = ["RunLost", "MarkMessagesDelivered", "RecordUsage", "IssueClosed"];
    private static readonly string[] WhileOpen = [.. Anytime, "Stop", "PostChatMessage"];
    private static readonly string[] WhileFinished = [.. Anytime, "Rerun"];

    /// <summary>The legal commands of each state (for a solve-issue job). Guarded refusals inside these are tested separately.</summary>
    private static readonly Dictionary<string, string[]> Legal = new()
    {
        ["queued"] = [.. WhileOpen, "Start"],
        ["running"] = [.. WhileOpen, "ReportPrReady", "PrOpened", "ReportNeedsClarification", "TransientFailure", "PermanentFailure", "RequestApproval"],
        ["waiting_for_reply"] = [.. WhileOpen, "ReplyReceived"],
        ["waiting_for_approval"] = [.. WhileOpen, "Approve"],
        ["pr_opened"] = [.. WhileOpen, "PrOpened", "ReviewFeedback", "Merged", "PrClosedWithoutMerge"],
        ["fixing (unclaimed)"] = [.. WhileOpen, "Start", "ReviewFeedback", "Merged", "PrClosedWithoutMerge"],
        ["fixing (claimed)"] = [.. WhileOpen, "ReviewFeedback", "FixPushed", "Merged", "PrClosedWithoutMerge", "TransientFailure", "PermanentFailure", "RequestApproval"],
        ["merged"] = [.. WhileFinished, "Merged"],
        ["failed"] = [.. WhileFinished],
        ["stopped"] = [.. WhileFinished, "Stop"],
        ["closed"] = [.. WhileFinished, "PrClosedWithoutMerge"],
    };

    public static TheoryData<string, string> IllegalPairs => Pairs(legal: false);

    public static TheoryData<string, string> LegalPairs => Pairs(legal: true);

    [Fact]
    public void The_table_covers_every_command_type_and_every_state()
    {
        var commandTypes = typeof(JobCommand).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(JobCommand)) && !t.IsAbstract);
        Samples.Select(c => c.Name).Order().ShouldBe(commandTypes.Select(t => t.Name).Order());
        AllStates.Select(s => s.Make().State).Distinct().Order().ShouldBe(Enum.GetValues<JobState>().Order());
        Legal.Keys.Order().ShouldBe(AllStates.Select(s => s.Label).Order());
    }

    [Theory]
    [MemberData(nameof(IllegalPairs))]
    public void An_illegal_command_throws_naming_the_state_and_the_command(string stateLabel, string commandName)
    {
        var state = AllStates.Single(s => s.Label == stateLabel).Make();
        var command = Samples.Single(c => c.Name == commandName);

        var ex = Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(state, command, T0.AddHours(1), MidRandom));

        ex.Message.ShouldStartWith($"Job 42 cannot handle {commandName} while {state.State.ToWire()}");
        (ex.JobId, ex.State, ex.Command).ShouldBe((JobId, state.State, commandName));
    }

    [Theory]
    [MemberData(nameof(LegalPairs))]
    public void A_legal_command_is_accepted(string stateLabel, string commandName)
    {
        var state = AllStates.Single(s => s.Label == stateLabel).Make();
        var command = Samples.Single(c => c.Name == commandName);

        var decision = Machine.Decide(state, command, T0.AddHours(1), MidRandom);

        decision.IsNoOp.ShouldBe(decision.Events.Count == 0);
    }

    [Fact]
    public void Terminal_states_are_left_only_by_Rerun()
    {
        foreach (var (label, make) in AllStates.Where(s => s.Make().State.IsTerminal()))
        {
            foreach (var command in Samples.Where(c => Legal[label].Contains(c.Name) && c is not Rerun))
            {
                var before = make();
                Machine.Decide(before, command, T0.AddHours(1), MidRandom).State.State.ShouldBe(before.State, $"{command.Name} in {label}");
            }
        }
    }

    private static TheoryData<string, string> Pairs(bool legal)
    {
        var data = new TheoryData<string, string>();
        foreach (var (label, _) in AllStates)
        {
            foreach (var command in Samples.Where(c => Legal[label].Contains(c.Name) == legal))
            {
                data.Add(label, command.Name);
            }
        }

        return data;
    }
}
