namespace AgentMesh.Storage.Tests;

/// <summary>
/// What migration 8 makes of the outbox keys both backends' upgrade tests seed (<c>key -> job_id</c>): a job
/// effect's key <c>job/{id}/…</c> names its job; anything else is left without one.
/// </summary>
internal static class OutboxBackfillCases
{
    public static readonly string[] Expected =
    [
        "job/0197a1b2c3d4/attempt/1/pr -> 0197a1b2c3d4",
        "job/0197a1b2c3d4/comment/2 -> 0197a1b2c3d4",
        "job/j-2/label/x/y -> j-2",
        "repo/octo/app/hello -> NULL",
        "job/no-slash -> NULL",
        "job//empty -> NULL",
        "jobs/j9/x -> NULL",
        "JOB/j9/x -> NULL",
        "job_j9/x -> NULL",
    ];
}
