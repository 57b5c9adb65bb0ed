using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// A job's lease and last log and event sequence numbers, read inside a write transaction.
/// The numbers live on the job row so that purged lines never free a number for reuse.
/// </summary>
internal sealed record SqliteJobSequences(string? LeaseOwner, long Fence, long LastLog, long LastEvent)
{
    public static SqliteJobSequences Read(SqliteWriteContext context, string jobId) =>
        context.Command(SqliteSql.SelectJobSequences)
            .With("@id", jobId)
            .ReadFirstOrDefault(Map)
        ?? throw new KeyNotFoundException($"Job {jobId} does not exist.");

    private static SqliteJobSequences Map(SqliteDataReader r) =>
        new(r.GetNullableString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
}
