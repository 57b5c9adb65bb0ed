namespace AgentMesh.Server.Worker;

/// <summary>How a worker node runs jobs (section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>How long a slot waits before claiming again after a claim failed (e.g. the store was unreachable). Default 1 s.</summary>
    public TimeSpan PauseAfterError { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most log lines written in one batch. Lines are written as soon as the previous write is
    /// <see cref="LogWriteInterval"/> old (group commit), so a batch holds what arrived meanwhile. Default 50.
    /// </summary>
    public int LogBatchSize { get; set; } = 50;

    /// <summary>
    /// Least time between two log writes of one job: a line waits at most this long, and only when the previous
    /// write was that recent. Bounds the writes and live-stream batches a chatty agent makes. Default 50 ms.
    /// </summary>
    public TimeSpan LogWriteInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>On shutdown, how long running agents may finish before their jobs are handed back. Default 30 s.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest bundle of held work (a run's commits waiting for approval, kept in the store so any worker can push
    /// them) a job may keep; larger work fails the job instead. Default 50 MiB.
    /// </summary>
    public long MaxHeldWorkBytes { get; set; } = 50L * 1024 * 1024;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (PauseAfterError <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:PauseAfterError must be positive, not {PauseAfterError}.");
        }
        if (LogWriteInterval < TimeSpan.Zero || LogWriteInterval > TimeSpan.FromSeconds(5))
        {
            problems.Add($"{SectionName}:LogWriteInterval must be between 0 and 5 seconds, not {LogWriteInterval}.");
        }
        if (LogBatchSize is < 1 or > 10_000)
        {
            problems.Add($"{SectionName}:LogBatchSize must be between 1 and 10000, not {LogBatchSize}.");
        }
        if (ShutdownGrace < TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:ShutdownGrace must not be negative, not {ShutdownGrace}.");
        }
        if (MaxHeldWorkBytes < 1)
        {
            problems.Add($"{SectionName}:MaxHeldWorkBytes must be positive, not {MaxHeldWorkBytes}.");
        }
        return problems;
    }
}
