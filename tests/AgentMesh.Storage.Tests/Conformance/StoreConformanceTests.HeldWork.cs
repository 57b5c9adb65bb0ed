using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    // Every byte value, so a backend that treats the bundle as text would show it.
    private static readonly byte[] SomeBundle = [.. Enumerable.Range(0, 256).Select(b => (byte)b), .. "# v2 git bundle\n"u8.ToArray()];

    [Fact]
    public async Task Held_work_is_stored_whole_and_read_back_with_its_run_commit_and_time()
    {
        await EnqueueAsync(Job("held", id: "job-held"));

        await Store.HeldWork.SaveAsync(new NewHeldWorkBundle("job-held", 1, "a1b2c3", SomeBundle));

        var held = (await Store.HeldWork.GetAsync("job-held")).ShouldNotBeNull();
        (held.JobId, held.Run, held.CommitSha, held.CreatedAt).ShouldBe(("job-held", 1, "a1b2c3", Now));
        held.Bundle.ShouldBe(SomeBundle);
        (await Store.HeldWork.GetAsync("job-other")).ShouldBeNull();
    }

    [Fact]
    public async Task Holding_again_replaces_the_jobs_earlier_held_work()
    {
        await EnqueueAsync(Job("held", id: "job-held"));
        await Store.HeldWork.SaveAsync(new NewHeldWorkBundle("job-held", 1, "first", [1, 2, 3]));
        Clock.Advance(TimeSpan.FromMinutes(5));

        await Store.HeldWork.SaveAsync(new NewHeldWorkBundle("job-held", 2, "second", [4, 5]));

        var held = (await Store.HeldWork.GetAsync("job-held")).ShouldNotBeNull();
        (held.Run, held.CommitSha, held.CreatedAt).ShouldBe((2, "second", Now));
        held.Bundle.ShouldBe([4, 5]);
    }

    [Fact]
    public async Task Held_work_of_a_missing_job_is_refused()
    {
        await Should.ThrowAsync<KeyNotFoundException>(() => Store.HeldWork.SaveAsync(new NewHeldWorkBundle("job-missing", 1, "a1b2c3", [1])));

        (await Store.HeldWork.GetAsync("job-missing")).ShouldBeNull();
    }

    [Fact]
    public async Task Deleting_held_work_removes_only_that_jobs_and_reports_whether_there_was_any()
    {
        await EnqueueAsync(Job("one", id: "job-one"));
        await EnqueueAsync(Job("two", id: "job-two"));
        await Store.HeldWork.SaveAsync(new NewHeldWorkBundle("job-one", 1, "c1", [1]));
        await Store.HeldWork.SaveAsync(new NewHeldWorkBundle("job-two", 1, "c2", [2]));

        (await Store.HeldWork.DeleteAsync("job-one")).ShouldBeTrue();
        (await Store.HeldWork.DeleteAsync("job-one")).ShouldBeFalse();

        (await Store.HeldWork.GetAsync("job-one")).ShouldBeNull();
        (await Store.HeldWork.GetAsync("job-two")).ShouldNotBeNull().CommitSha.ShouldBe("c2");
    }

    [Fact]
    public async Task Purging_a_terminal_job_deletes_its_held_work_and_keeps_a_waiting_jobs()
    {
        await EnqueueAsync(Job("stopped", id: "job-stopped"));
        await EnqueueAsync(Job("waiting", id: "job-waiting"));
        await Store.HeldWork.SaveAsync(new NewHeldWorkBundle("job-stopped", 1, "c1", [1]));
        await Store.HeldWork.SaveAsync(new NewHeldWorkBundle("job-waiting", 1, "c2", [2]));
        await Store.Jobs.TurnAsync("job-stopped", null, MoveTo(JobState.Stopped));
        await Store.Jobs.TurnAsync("job-waiting", null, MoveTo(JobState.WaitingForApproval));
        Clock.Advance(TimeSpan.FromDays(10));

        (await Store.Jobs.PurgeTerminalAsync(Now)).ShouldBe(1);

        (await Store.HeldWork.GetAsync("job-stopped")).ShouldBeNull();
        (await Store.HeldWork.GetAsync("job-waiting")).ShouldNotBeNull();
    }
}
