using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Sqlite;

/// <summary>A job's mailbox on SQLite: messages numbered 1..n per job, marked delivered in order.</summary>
internal sealed class SqliteJobMailbox(SqliteDatabase database) : IJobMailbox
{
    public Task<MailMessage> PostAsync(string jobId, NewMailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return database.WriteAsync(context =>
        {
            var sequence = SqliteJobSequences.Read(context, jobId).LastMail + 1;
            var posted = context.Command(SqliteSql.InsertMail)
                .With("@id", jobId)
                .With("@seq", sequence)
                .With("@now", context.Now)
                .With("@author", message.Author)
                .With("@kind", message.Kind)
                .With("@text", message.Text)
                .ReadFirstOrDefault(SqliteRows.Mail)!;
            context.Command(SqliteSql.SetLastMailSequence).With("@id", jobId).With("@seq", sequence).Execute();
            return posted;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<MailMessage>> ReadUndeliveredAsync(string jobId, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.ReadUndeliveredMail)
            .With("@id", jobId)
            .ReadAll(SqliteRows.Mail), cancellationToken).ConfigureAwait(false);

    public Task MarkDeliveredAsync(string jobId, long upToSequence, CancellationToken cancellationToken = default) =>
        database.WriteAsync(context =>
        {
            context.Command(SqliteSql.MarkMailDelivered)
                .With("@id", jobId)
                .With("@upTo", upToSequence)
                .With("@now", context.Now)
                .Execute();
        }, cancellationToken);

    public async Task<IReadOnlyList<MailMessage>> ReadAllAsync(string jobId, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.ReadAllMail)
            .With("@id", jobId)
            .ReadAll(SqliteRows.Mail), cancellationToken).ConfigureAwait(false);
}
