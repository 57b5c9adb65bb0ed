namespace AgentMesh.Guardrails.ProtectedPaths;

/// <summary>A changed path that matches a protected pattern.</summary>
/// <param name="Path">The changed path.</param>
/// <param name="Pattern">The first pattern it matched.</param>
public sealed record ProtectedPathHit(string Path, string Pattern);
