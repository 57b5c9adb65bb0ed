using System.Text.Json;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using Shouldly;
using static AgentMesh.Core.Tests.Support.JobFixture;

namespace AgentMesh.Core.Tests.Jobs;

/// <summary>The store persists state, commands and events as JSON with <see cref="CoreJson.Options"/>.</summary>
public sealed class JobJsonTests
{
    [Fact]
    public void State_round_trips_with_every_part_filled_in()
    {
        var state = Apply(Apply(FixingClaimed(), new PostChatMessage("carol", "Hi.", ChatMessageKind.Interrupt)), new RecordUsage(new TokenUsage(1, 2, 3, 4), 0.0123m));
        state = state with { LastError = new JobError("x", ErrorClass.Transient, 1, T0), Clarification = new Clarification(["q"], T0, new ClarificationAnswer("a", "b", T0)) };

        var json = JsonSerializer.Serialize(state, CoreJson.Options);
        var back = JsonSerializer.Deserialize<JobActorState>(json, CoreJson.Options)!;

        JsonSerializer.Serialize(back, CoreJson.Options).ShouldBe(json);
        back.Usage.Total.CostUsd.ShouldBe(0.0123m);
        back.Mailbox.Single().Kind.ShouldBe(ChatMessageKind.Interrupt);
        back.Lease.ShouldBe(state.Lease);
    }

    [Fact]
    public void Enums_are_written_with_their_snake_case_wire_names()
    {
        var json = JsonSerializer.Serialize(WaitingForReply(), CoreJson.Options);

        json.ShouldContain("\"state\":\"waiting_for_reply\"");
        json.ShouldContain("\"kind\":\"solve_issue\"");
        JobState.WaitingForReply.ToWire().ShouldBe("waiting_for_reply");
    }

    [Fact]
    public void Commands_and_events_carry_a_type_discriminator_and_round_trip()
    {
        JobCommand command = new ReplyReceived("alice", "Yes.");
        var commandJson = JsonSerializer.Serialize(command, CoreJson.Options);
        commandJson.ShouldBe("{\"type\":\"reply_received\",\"author\":\"alice\",\"text\":\"Yes.\"}");
        JsonSerializer.Deserialize<JobCommand>(commandJson, CoreJson.Options).ShouldBe(command);

        JobEvent @event = new RetryScheduled(T0, 1, "boom", 2, TimeSpan.FromSeconds(22.5), T0.AddSeconds(22.5));
        var eventJson = JsonSerializer.Serialize(@event, CoreJson.Options);
        eventJson.ShouldStartWith("{\"type\":\"retry_scheduled\",");
        JsonSerializer.Deserialize<JobEvent>(eventJson, CoreJson.Options).ShouldBe(@event);
    }
}
