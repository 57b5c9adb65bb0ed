namespace AgentMesh.Core.Jobs;

/// <summary>
/// A run's work that the pre-push check held back because it changes protected paths. The commit stays in
/// the bare repository of the node that ran it (under <c>refs/agentmesh/held/&lt;job&gt;</c>) and, as a git bundle,
/// in the store, so any worker can push it; approval pushes exactly <see cref="Commit"/> — a commit id names its
/// content, so nothing changed after the request is pushed.
/// </summary>
/// <param name="Run">The run whose work it is; an approval never carries over to a later run.</param>
/// <param name="Commit">The held commit.</param>
/// <param name="Summary">The agent's summary, for the pull request.</param>
/// <param name="Paths">The protected paths the work changes.</param>
/// <param name="FixRound">The fix round that made it (0: the solve), so approval resumes the same piece of work.</param>
/// <param name="RequestedAt">When the approval was asked for; only comments created after it count.</param>
/// <param name="ApprovedBy">Who approved; null while waiting.</param>
public sealed record HeldWork(int Run, string Commit, string Summary, IReadOnlyList<string> Paths, int FixRound, DateTimeOffset RequestedAt, string? ApprovedBy = null)
{
    /// <summary>True when approved for <paramref name="run"/> and <paramref name="fixRound"/>.</summary>
    public bool IsApprovedFor(int run, int fixRound) => ApprovedBy is not null && Run == run && FixRound == fixRound;
}
