namespace AgentMesh.FakeGitHub.Model;

/// <summary>One identity's primary rate-limit window.</summary>
public sealed class FakeRateLimit
{
    public const int Limit = 5000;

    public int Remaining { get; set; } = Limit;

    public DateTimeOffset ResetAt { get; set; }
}
