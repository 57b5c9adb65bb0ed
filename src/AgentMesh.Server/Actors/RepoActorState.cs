using AgentMesh.Core.Repos;

namespace AgentMesh.Server.Actors;

/// <summary>What the repo actor keeps: its configuration and its token budget ledger.</summary>
public sealed record RepoActorState(RepoConfig Config, BudgetLedger Ledger);
