namespace AgentMesh.Server.Reconciliation;

/// <summary>What one reconciliation pass over the open jobs did.</summary>
/// <param name="Checked">Open jobs the pass looked at.</param>
/// <param name="Updated">Jobs whose state the pass changed (merged or closed).</param>
/// <param name="Failed">Jobs it could not check (GitHub errors and the like); the next pass tries them again.</param>
public sealed record ReconciliationPass(int Checked, int Updated, int Failed);
