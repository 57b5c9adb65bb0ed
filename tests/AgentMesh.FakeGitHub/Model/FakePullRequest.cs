namespace AgentMesh.FakeGitHub.Model;

/// <summary>The pull-request side of an issue.</summary>
public sealed class FakePullRequest
{
    public required long Id { get; init; }

    public required string Head { get; init; }

    public required string HeadOwner { get; init; }

    public required string Base { get; init; }

    public string HeadSha { get; set; } = new('0', 40);

    public bool Draft { get; init; }

    public bool Merged { get; set; }

    public DateTimeOffset? MergedAt { get; set; }

    public List<FakeReview> Reviews { get; } = [];

    public List<FakeReviewComment> ReviewComments { get; } = [];
}
