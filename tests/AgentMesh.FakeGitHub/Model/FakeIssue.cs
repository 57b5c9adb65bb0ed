namespace AgentMesh.FakeGitHub.Model;

/// <summary>An issue; pull requests share the numbering and also have one (as on GitHub).</summary>
public sealed class FakeIssue
{
    public required long Id { get; init; }

    public required int Number { get; init; }

    public required string Title { get; set; }

    public string? Body { get; set; }

    public string State { get; set; } = "open";

    public string? StateReason { get; set; }

    public required FakeUser User { get; init; }

    public List<FakeLabel> Labels { get; } = [];

    public List<FakeUser> Assignees { get; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Set when this issue is a pull request.</summary>
    public FakePullRequest? PullRequest { get; set; }
}
