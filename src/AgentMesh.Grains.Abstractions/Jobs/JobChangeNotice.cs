namespace AgentMesh.Grains.Abstractions.Jobs;

/// <summary>What changed about a job; a notice carries ids and sequence numbers, never the data.</summary>
public enum JobChangeKind
{
    /// <summary>The job's row changed (state, attempt, lease, usage, mailbox); Sequence is the row's version.</summary>
    Job,

    /// <summary>Log lines were stored, up to Sequence.</summary>
    Log,

    /// <summary>Events were appended to the job's history.</summary>
    Event,

    /// <summary>
    /// Re-read everything shown: a subscription's first item (it is live, load the snapshot now), or notices
    /// were dropped because the reader fell behind, or a change touched many jobs at once.
    /// </summary>
    Resync,
}

/// <summary>
/// A job changed. Sent on the memory streams <c>job-changes/{job}</c> (everything about one job) and
/// <c>job-changes/*</c> (state changes of every job: the board, the workers' wake-ups). Best effort:
/// the store is the truth and a reader re-reads from it, so a notice only says what to re-read.
/// </summary>
/// <param name="FreesNoWork">
/// For <see cref="JobChangeKind.Job"/>: the change can have made no job claimable and freed no run slot, so idle
/// worker slots need not look: the job's row holds a run after it (claimed, starting, running), or nothing a claim
/// reads (state, lease, due time, priority, attempts) changed (e.g. only events were appended).
/// </param>
/// <param name="SlotsWokenOn">
/// The silo whose idle slots were woken directly when the change was written (<c>SiloAddress.ToParsableString</c>);
/// they skip this notice, which would only send a second slot to look for the same job.
/// </param>
[GenerateSerializer]
[Alias("AgentMesh.JobChangeNotice")]
public sealed record JobChangeNotice(
    [property: Id(0)] JobChangeKind Kind,
    [property: Id(1)] string JobId,
    [property: Id(2)] long Sequence,
    [property: Id(3)] bool FreesNoWork = false,
    [property: Id(4)] string? SlotsWokenOn = null)
{
    /// <summary>Whether an idle worker slot should look for a claimable job: a resync, or a change that may free work.</summary>
    public bool MayFreeWork => Kind == JobChangeKind.Resync || (Kind == JobChangeKind.Job && !FreesNoWork);

    /// <summary>Whether an idle slot of <paramref name="silo"/> should look: it may free work, and that silo's slots were not woken for it already.</summary>
    public bool WakesSlotsOf(string silo) => MayFreeWork && !string.Equals(SlotsWokenOn, silo, StringComparison.Ordinal);
}
