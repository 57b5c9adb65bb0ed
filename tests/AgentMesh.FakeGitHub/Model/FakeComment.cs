namespace AgentMesh.FakeGitHub.Model;

/// <summary>An issue or PR conversation comment.</summary>
public sealed class FakeComment
{
    public required long Id { get; init; }

    public required int IssueNumber { get; init; }

    public required FakeUser User { get; init; }

    public required string Body { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; set; }
}
