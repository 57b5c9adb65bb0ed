namespace AgentMesh.Core.Repos;

/// <summary>Tokens used in one fixed window (a clock hour or a calendar day, UTC) starting at <paramref name="Start"/>.</summary>
public sealed record UsageWindow(DateTimeOffset Start, long Tokens);
