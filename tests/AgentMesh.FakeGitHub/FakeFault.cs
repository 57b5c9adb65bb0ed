namespace AgentMesh.FakeGitHub;

/// <summary>A planned misbehaviour for the next <see cref="Remaining"/> requests whose path starts with <see cref="PathPrefix"/>.</summary>
internal sealed class FakeFault
{
    public required string PathPrefix { get; init; }

    public required int Remaining { get; set; }

    /// <summary>Status to answer instead of the real one.</summary>
    public required int StatusCode { get; init; }

    /// <summary><c>retry-after</c> seconds to send, if any.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Answer as a spent primary rate limit with this reset (x-ratelimit-remaining 0).</summary>
    public DateTimeOffset? PrimaryReset { get; init; }

    /// <summary>GitHub's message for the answer.</summary>
    public required string Message { get; init; }

    /// <summary>When set, the request is held until released (a hang the client must time out).</summary>
    public FakeHold? Hold { get; init; }
}
