using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// Generic actors on SQLite. A turn runs inside the single writer's <c>BEGIN IMMEDIATE</c>
/// transaction, so turns (on any key) are serialised and the state read is the state written over.
/// </summary>
internal sealed class SqliteActorStore(SqliteDatabase database) : IActorStore
{
    public Task<ActorSnapshot?> GetAsync(string actorType, string key, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.Command(SqliteSql.SelectActor)
            .With("@type", actorType)
            .With("@key", key)
            .ReadFirstOrDefault(SqliteRows.Actor), cancellationToken);

    public Task<ActorTurnResult<TResult>> TurnAsync<TResult>(
        string actorType,
        string key,
        Func<ActorSnapshot?, ActorDecision<TResult>> decide,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return database.WriteAsync(context =>
        {
            var current = context.Command(SqliteSql.SelectActor)
                .With("@type", actorType)
                .With("@key", key)
                .ReadFirstOrDefault(SqliteRows.Actor);
            var decision = decide(current);

            var saved = current;
            if (decision.NewStateJson is not null)
            {
                saved = context.Command(SqliteSql.UpsertActor)
                    .With("@type", actorType)
                    .With("@key", key)
                    .With("@state", decision.NewStateJson)
                    .With("@now", context.Now)
                    .With("@expectedVersion", current?.Version ?? 0)
                    .ReadFirstOrDefault(SqliteRows.Actor)
                    ?? throw new InvalidOperationException(
                        $"Actor {actorType}/{key} changed during its turn; the single writer should make this impossible.");
            }

            if (decision.Events.Count > 0)
            {
                var sequence = context.Command(SqliteSql.LastActorEventSequence)
                    .With("@type", actorType)
                    .With("@key", key)
                    .ScalarInt64();
                foreach (var newEvent in decision.Events)
                {
                    context.Command(SqliteSql.InsertActorEvent)
                        .With("@type", actorType)
                        .With("@key", key)
                        .With("@seq", ++sequence)
                        .With("@eventType", newEvent.Type)
                        .With("@data", newEvent.DataJson)
                        .With("@now", context.Now)
                        .Execute();
                }
            }

            SqliteOutbox.Insert(context, jobId: null, decision.Outbox);
            return new ActorTurnResult<TResult>(saved, decision.Result);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ActorSnapshot>> ListAsync(string actorType, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.ListActors)
            .With("@type", actorType)
            .ReadAll(SqliteRows.Actor), cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteAsync(string actorType, string key, CancellationToken cancellationToken = default) =>
        database.WriteAsync(context =>
        {
            context.Command(SqliteSql.DeleteActorEvents).With("@type", actorType).With("@key", key).Execute();
            return context.Command(SqliteSql.DeleteActor).With("@type", actorType).With("@key", key).Execute() > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<ActorEventRecord>> ReadEventsAsync(string actorType, string key, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.ReadActorEvents)
            .With("@type", actorType)
            .With("@key", key)
            .With("@after", afterSequence)
            .With("@limit", limit)
            .ReadAll(SqliteRows.ActorEvent), cancellationToken).ConfigureAwait(false);
}
