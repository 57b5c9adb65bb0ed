namespace AgentMesh.Server.Outbox;

/// <summary>The side effects the outbox knows how to perform.</summary>
public static class OutboxKinds
{
    /// <summary>Post a comment on an issue or pull request.</summary>
    public const string Comment = "github.comment";

    /// <summary>Create or edit the job's one status comment (found again by its hidden marker).</summary>
    public const string StatusComment = "github.status_comment";
}

/// <param name="StatusOf">The job whose status comment this is, for <see cref="OutboxKinds.StatusComment"/>.</param>
public sealed record CommentEffect(string Repo, int Number, string Body, string? StatusOf);
