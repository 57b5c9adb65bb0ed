using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Migrate_runs_twice_without_change_and_health_reports_every_migration_applied()
    {
        await Store.MigrateAsync();
        await Store.MigrateAsync();

        var health = await Store.CheckHealthAsync();

        health.Reachable.ShouldBeTrue();
        health.Error.ShouldBeNull();
        health.ExpectedSchemaVersion.ShouldBeGreaterThanOrEqualTo(1);
        health.SchemaVersion.ShouldBe(health.ExpectedSchemaVersion);
        health.Ready.ShouldBeTrue();
        Store.ProviderName.ShouldBeOneOf("sqlite", "postgres");
    }

    [Fact]
    public async Task Actor_first_saved_turn_is_version_1_and_the_next_is_version_2()
    {
        (await Store.Actors.GetAsync("repo", "octo/app")).ShouldBeNull();

        var first = await Store.Actors.TurnAsync("repo", "octo/app", current =>
        {
            current.ShouldBeNull();
            return Decision("""{"n":1}""", "one");
        });
        first.Result.ShouldBe("one");
        first.Snapshot.ShouldBe(new ActorSnapshot("repo", "octo/app", 1, """{"n":1}""", Now));

        Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await Store.Actors.TurnAsync("repo", "octo/app", current =>
        {
            current.ShouldNotBeNull().Version.ShouldBe(1);
            return Decision("""{"n":2}""", 2);
        });
        second.Snapshot.ShouldBe(new ActorSnapshot("repo", "octo/app", 2, """{"n":2}""", Now));
        (await Store.Actors.GetAsync("repo", "octo/app")).ShouldBe(second.Snapshot);
    }

    [Fact]
    public async Task Actor_turn_without_new_state_keeps_state_and_version_but_appends_events()
    {
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("""{"n":1}""", 0));
        var updatedAt = Now;
        Clock.Advance(TimeSpan.FromSeconds(1));

        var result = await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision<int>(null, 7, [new NewEvent("noted", "{}")]));

        result.Result.ShouldBe(7);
        result.Snapshot.ShouldBe(new ActorSnapshot("repo", "octo/app", 1, """{"n":1}""", updatedAt));
        var events = await Store.Actors.ReadEventsAsync("repo", "octo/app", 0, 10);
        events.Select(e => (e.Sequence, e.Type)).ShouldBe([(1L, "noted")]);
    }

    [Fact]
    public async Task Actor_decide_exception_rolls_the_turn_back_and_propagates()
    {
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("""{"n":1}""", 0, [new NewEvent("created", "{}")]));

        var error = await Should.ThrowAsync<InvalidOperationException>(() => Store.Actors.TurnAsync<int>("repo", "octo/app", _ =>
            throw new InvalidOperationException("illegal transition")));
        error.Message.ShouldBe("illegal transition");

        (await Store.Actors.GetAsync("repo", "octo/app")).ShouldNotBeNull().Version.ShouldBe(1);
        (await Store.Actors.ReadEventsAsync("repo", "octo/app", 0, 10)).Count.ShouldBe(1);

        // The next turn still works and continues the sequence without a gap.
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("""{"n":2}""", 0, [new NewEvent("changed", "{}")]));
        (await Store.Actors.ReadEventsAsync("repo", "octo/app", 0, 10)).Select(e => e.Sequence).ShouldBe([1L, 2L]);
    }

    [Fact]
    public async Task Actor_events_are_numbered_1_to_n_across_turns_and_read_after_a_sequence()
    {
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("{}", 0, [new NewEvent("a", """{"i":1}"""), new NewEvent("b", """{"i":2}""")]));
        var firstAt = Now;
        Clock.Advance(TimeSpan.FromSeconds(3));
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("{}", 0, [new NewEvent("c", """{"i":3}""")]));
        await Store.Actors.TurnAsync("repo", "other/app", _ => Decision("{}", 0, [new NewEvent("x", "{}")]));

        var all = await Store.Actors.ReadEventsAsync("repo", "octo/app", 0, 100);
        all.ShouldBe(
        [
            new ActorEventRecord("repo", "octo/app", 1, "a", """{"i":1}""", firstAt),
            new ActorEventRecord("repo", "octo/app", 2, "b", """{"i":2}""", firstAt),
            new ActorEventRecord("repo", "octo/app", 3, "c", """{"i":3}""", Now),
        ]);
        (await Store.Actors.ReadEventsAsync("repo", "octo/app", 1, 1)).Select(e => e.Sequence).ShouldBe([2L]);
        (await Store.Actors.ReadEventsAsync("repo", "octo/app", 3, 10)).ShouldBeEmpty();
        (await Store.Actors.ReadEventsAsync("repo", "other/app", 0, 10)).Select(e => e.Sequence).ShouldBe([1L]);
    }

    [Fact]
    public async Task Actor_turn_saves_outbox_items_in_the_same_transaction()
    {
        var due = Now.AddMinutes(5);
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("{}", 0, outbox:
        [
            new NewOutboxItem("github.comment", "repo/octo/app/hello", """{"body":"hi"}"""),
            new NewOutboxItem("github.label", "repo/octo/app/label", "{}", due),
        ]));

        var comment = (await Store.Outbox.GetByKeyAsync("repo/octo/app/hello")).ShouldNotBeNull();
        comment.Kind.ShouldBe("github.comment");
        comment.PayloadJson.ShouldBe("""{"body":"hi"}""");
        comment.DueAt.ShouldBe(Now);
        comment.Status.ShouldBe("pending");
        comment.Attempts.ShouldBe(0);
        comment.LastError.ShouldBeNull();
        comment.CreatedAt.ShouldBe(Now);
        comment.JobId.ShouldBeNull("an actor turn's item belongs to no job");
        (await Store.Outbox.GetByKeyAsync("repo/octo/app/label")).ShouldNotBeNull().DueAt.ShouldBe(due);

        // A later turn asking for the same effect does not store it twice.
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("{}", 0, outbox: [new NewOutboxItem("github.comment", "repo/octo/app/hello", """{"body":"again"}""")]));
        (await Store.Outbox.GetByKeyAsync("repo/octo/app/hello")).ShouldNotBeNull().PayloadJson.ShouldBe("""{"body":"hi"}""");
        // Stored, but no job's: no job claims them and the start-up sweep does not list them.
        (await Store.Outbox.JobsWithPendingEffectsAsync(10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Actor_turns_on_one_key_are_serialised_so_8_concurrent_increments_end_at_8()
    {
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.Actors.TurnAsync("counter", "c1", current =>
        {
            var value = current is null ? 0 : int.Parse(current.StateJson, System.Globalization.CultureInfo.InvariantCulture);
            return Decision((value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), value + 1);
        })));

        var results = await Task.WhenAll(tasks);

        results.Select(r => r.Result).Order().ShouldBe([1, 2, 3, 4, 5, 6, 7, 8]);
        var final = (await Store.Actors.GetAsync("counter", "c1")).ShouldNotBeNull();
        final.StateJson.ShouldBe("8");
        final.Version.ShouldBe(8);
    }

    [Fact]
    public async Task Actor_list_returns_one_type_ordered_by_key_and_delete_removes_state_and_events()
    {
        await Store.Actors.TurnAsync("repo", "b/b", _ => Decision("{}", 0, [new NewEvent("e", "{}")]));
        await Store.Actors.TurnAsync("repo", "a/a", _ => Decision("{}", 0));
        await Store.Actors.TurnAsync("tenant", "t1", _ => Decision("{}", 0));

        (await Store.Actors.ListAsync("repo")).Select(s => s.Key).ShouldBe(["a/a", "b/b"]);

        (await Store.Actors.DeleteAsync("repo", "b/b")).ShouldBeTrue();
        (await Store.Actors.DeleteAsync("repo", "b/b")).ShouldBeFalse();
        (await Store.Actors.GetAsync("repo", "b/b")).ShouldBeNull();
        (await Store.Actors.ReadEventsAsync("repo", "b/b", 0, 10)).ShouldBeEmpty();
        (await Store.Actors.ListAsync("repo")).Select(s => s.Key).ShouldBe(["a/a"]);

        // A deleted actor starts again at version 1.
        var again = await Store.Actors.TurnAsync("repo", "b/b", _ => Decision("{}", 0));
        again.Snapshot.ShouldNotBeNull().Version.ShouldBe(1);
    }
}
