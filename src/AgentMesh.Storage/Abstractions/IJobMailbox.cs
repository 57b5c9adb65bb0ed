namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// A running job's mailbox: chat messages and interrupts from people (the dashboard, the CLI),
/// delivered to the agent by the worker that holds the job.
/// </summary>
public interface IJobMailbox
{
    Task<MailMessage> PostAsync(string jobId, NewMailMessage message, CancellationToken cancellationToken = default);

    /// <summary>Undelivered messages in the order they were posted.</summary>
    Task<IReadOnlyList<MailMessage>> ReadUndeliveredAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Marks messages up to and including <paramref name="upToSequence"/> delivered.</summary>
    Task MarkDeliveredAsync(string jobId, long upToSequence, CancellationToken cancellationToken = default);

    /// <summary>All messages, delivered or not, oldest first.</summary>
    Task<IReadOnlyList<MailMessage>> ReadAllAsync(string jobId, CancellationToken cancellationToken = default);
}

/// <param name="Kind"><c>message</c> or <c>interrupt</c>.</param>
public sealed record NewMailMessage(string Author, string Kind, string Text);

public sealed record MailMessage(string JobId, long Sequence, DateTimeOffset At, string Author, string Kind, string Text, DateTimeOffset? DeliveredAt);
