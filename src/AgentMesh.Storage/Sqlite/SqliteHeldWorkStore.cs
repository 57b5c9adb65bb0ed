using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>Held work on SQLite: one row per job, deleted with the job through its foreign key.</summary>
internal sealed class SqliteHeldWorkStore(SqliteDatabase database) : IHeldWorkStore
{
    public Task SaveAsync(NewHeldWorkBundle work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return database.WriteAsync(context =>
        {
            var saved = context.Command(SqliteSql.UpsertHeldWork)
                .With("@id", work.JobId)
                .With("@run", work.Run)
                .With("@commit", work.CommitSha)
                .With("@bundle", work.Bundle)
                .With("@now", context.Now)
                .Execute();
            if (saved == 0)
            {
                throw new KeyNotFoundException($"Job {work.JobId} does not exist.");
            }
        }, cancellationToken);
    }

    public async Task<HeldWorkBundle?> GetAsync(string jobId, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.SelectHeldWork)
            .With("@id", jobId)
            .ReadFirstOrDefault(Map), cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(context => context.Command(SqliteSql.DeleteHeldWork).With("@id", jobId).Execute() > 0, cancellationToken);

    private static HeldWorkBundle Map(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetInt32(1),
        r.GetString(2),
        (byte[])r.GetValue(3),
        UnixMilliseconds.ToTime(r.GetInt64(4)));
}
