using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Postgres;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests;

/// <summary>The NOTIFY payload format: ids and sequence numbers only, small, and safe to misread (as a resync).</summary>
public sealed class PostgresChangePayloadTests
{
    private static readonly StoreChange Resync = new(StoreChangeKind.Resync, string.Empty, 0);

    [Fact]
    public void Changes_round_trip_one_line_each_and_job_ids_may_contain_colons()
    {
        StoreChange[] changes =
        [
            new(StoreChangeKind.Job, "j1", 7),
            new(StoreChangeKind.Log, "octo/app#1:solve", 120),
            new(StoreChangeKind.Mailbox, "j2", 1),
            new(StoreChangeKind.Event, "j3", 4),
        ];

        var payload = ChangePayload.Encode(changes);

        payload.ShouldBe("J7:j1\nL120:octo/app#1:solve\nM1:j2\nE4:j3");
        ChangePayload.Decode(payload).ShouldBe(changes);
    }

    [Fact]
    public void The_sql_built_single_change_format_decodes()
    {
        // ClaimJob, ApplyJobChange, AppendLogLines and PostMail build 'J' || version || ':' || id in SQL.
        ChangePayload.Decode("J12:0193abc").ShouldBe([new StoreChange(StoreChangeKind.Job, "0193abc", 12)]);
    }

    [Fact]
    public void A_payload_past_the_size_limit_becomes_one_resync()
    {
        var many = Enumerable.Range(0, 500).Select(i => new StoreChange(StoreChangeKind.Job, $"job-{i:D20}", i));

        var payload = ChangePayload.Encode(many);

        payload.ShouldBe(ChangePayload.ResyncAll);
        ChangePayload.Decode(payload).ShouldBe([Resync]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("X1:j")]
    [InlineData("J:j")]
    [InlineData("Jx:j")]
    [InlineData("J1:j\ngarbage")]
    public void Anything_unreadable_becomes_a_resync_rather_than_a_missed_change(string payload)
    {
        ChangePayload.Decode(payload).ShouldBe([Resync]);
    }
}
