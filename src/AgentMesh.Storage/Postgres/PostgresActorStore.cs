using AgentMesh.Storage.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace AgentMesh.Storage.Postgres;

/// <summary>Generic actors on PostgreSQL: materialise the row, lock it, decide, save, commit.</summary>
internal sealed class PostgresActorStore(PostgresStoreContext context) : IActorStore
{
    public async Task<ActorSnapshot?> GetAsync(string actorType, string key, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.GetActor).With("type", actorType).With("key", key);
        return await PostgresRows.FirstOrDefaultAsync(command, PostgresRows.Actor, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ActorTurnResult<TResult>> TurnAsync<TResult>(
        string actorType,
        string key,
        Func<ActorSnapshot?, ActorDecision<TResult>> decide,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decide);
        var now = context.Now();
        await using var connection = await context.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The first turn of an actor has no row to lock yet: create an empty one (version 0) that concurrent
        // first turns then queue on. ON CONFLICT waits for a concurrent inserter instead of failing.
        await using (var materialise = PostgresStoreContext.Command(connection, PostgresSql.MaterialiseActor, transaction))
        {
            await materialise.WithTime("now", now).With("type", actorType).With("key", key)
                .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        ActorSnapshot? current;
        long version;
        long eventSeq;
        await using (var lockRow = PostgresStoreContext.Command(connection, PostgresSql.LockActor, transaction))
        {
            lockRow.With("type", actorType).With("key", key);
            await using var reader = await lockRow.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Only a concurrent DeleteAsync between the two statements gets here.
                throw new InvalidOperationException($"Actor {actorType}/{key} was deleted during the turn.");
            }
            version = reader.GetInt64(2);
            eventSeq = reader.GetInt64(5);
            current = version == 0 ? null : PostgresRows.Actor(reader);
        }

        var decision = decide(current);

        var snapshot = current;
        if (decision.NewStateJson is not null || decision.Events.Count > 0)
        {
            await using var save = PostgresStoreContext.Command(connection, PostgresSql.SaveActor, transaction);
            save.WithNullable("state", NpgsqlDbType.Text, decision.NewStateJson)
                .WithTime("now", now)
                .With("event_count", (long)decision.Events.Count)
                .With("type", actorType)
                .With("key", key)
                .With("version", version);
            var saved = await PostgresRows.FirstOrDefaultAsync(save, r => r.GetInt64(2) == 0 ? null : PostgresRows.Actor(r), cancellationToken)
                .ConfigureAwait(false);
            snapshot = saved;
        }

        if (decision.Events.Count > 0)
        {
            await using var events = PostgresStoreContext.Command(connection, PostgresSql.InsertActorEvents, transaction);
            await events.With("type", actorType)
                .With("key", key)
                .With("first_seq", eventSeq + 1)
                .WithTime("now", now)
                .With("types", decision.Events.Select(e => e.Type).ToArray())
                .With("datas", decision.Events.Select(e => e.DataJson).ToArray())
                .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PostgresOutbox.InsertAsync(connection, transaction, jobId: null, decision.Outbox, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ActorTurnResult<TResult>(snapshot, decision.Result);
    }

    public async Task<IReadOnlyList<ActorSnapshot>> ListAsync(string actorType, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.ListActors).With("type", actorType);
        return await PostgresRows.ListAsync(command, PostgresRows.Actor, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string actorType, string key, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.DeleteActor).With("type", actorType).With("key", key);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
    }

    public async Task<IReadOnlyList<ActorEventRecord>> ReadEventsAsync(string actorType, string key, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.ReadActorEvents)
            .With("type", actorType).With("key", key).With("after", afterSequence).With("limit", limit);
        return await PostgresRows.ListAsync(
            command,
            r => new ActorEventRecord(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), PostgresRows.Time(r, 5)),
            cancellationToken).ConfigureAwait(false);
    }
}
