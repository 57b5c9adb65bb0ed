namespace AgentMesh.Core.Repos;

/// <summary>What the repo grain keeps: its configuration and its token budget ledger.</summary>
public sealed record RepoActorState(RepoConfig Config, BudgetLedger Ledger);
