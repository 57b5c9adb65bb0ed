using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Postgres;

/// <summary>The chat mailbox on PostgreSQL: per-job gap-free sequences from the job row, delivery marks.</summary>
internal sealed class PostgresJobMailbox(PostgresStoreContext context) : IJobMailbox
{
    public async Task<MailMessage> PostAsync(string jobId, NewMailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var command = context.Command(PostgresSql.PostMail)
            .With("job_id", jobId)
            .WithTime("now", context.Now())
            .With("author", message.Author)
            .With("kind", message.Kind)
            .With("text", message.Text);
        return await PostgresRows.FirstOrDefaultAsync(command, PostgresRows.Mail, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Job {jobId} does not exist.");
    }

    public async Task<IReadOnlyList<MailMessage>> ReadUndeliveredAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.ReadUndeliveredMail).With("job_id", jobId);
        return await PostgresRows.ListAsync(command, PostgresRows.Mail, cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkDeliveredAsync(string jobId, long upToSequence, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.MarkMailDelivered)
            .With("job_id", jobId)
            .With("up_to", upToSequence)
            .WithTime("now", context.Now());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MailMessage>> ReadAllAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.ReadAllMail).With("job_id", jobId);
        return await PostgresRows.ListAsync(command, PostgresRows.Mail, cancellationToken).ConfigureAwait(false);
    }
}
