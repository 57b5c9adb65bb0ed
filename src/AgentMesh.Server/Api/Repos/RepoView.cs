using AgentMesh.Core.Repos;

namespace AgentMesh.Server.Api.Repos;

/// <summary>A configured repository: its settings and its token spending windows.</summary>
/// <param name="Repo"><c>owner/name</c>.</param>
public sealed record RepoView(string Repo, RepoConfig Config, BudgetLedger Ledger);
