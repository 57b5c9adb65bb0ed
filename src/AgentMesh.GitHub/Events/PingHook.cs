namespace AgentMesh.GitHub.Events;

/// <summary>The webhook a <c>ping</c> describes.</summary>
public sealed class PingHook
{
    public long Id { get; init; }

    /// <summary><c>Repository</c>, <c>Organization</c> or <c>App</c>.</summary>
    public string? Type { get; init; }

    public IReadOnlyList<string> Events { get; init => field = value ?? []; } = [];
}
