using System.Text;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Workspaces;

namespace AgentMesh.Agents.Outcomes;

/// <summary>
/// Decides a run's outcome from the agent's outcome block and what it left in the worktree (docs/agents.md):
/// a declared needs_clarification wins; a declared pr_ready needs changes to show; without a block, changes
/// after a clean exit mean pr_ready with a summary made from the commit log, and anything else is failed
/// with the reason.
/// </summary>
public static class OutcomeDecider
{
    public static AgentOutcome Decide(AgentRunResult run, WorkspaceChanges changes)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(changes);
        var declared = OutcomeBlockParser.Parse(run.FinalText) ?? OutcomeBlockParser.Parse(run.AssistantText);
        switch (declared?.Kind)
        {
            case AgentOutcomeKind.NeedsClarification:
                return declared;
            case AgentOutcomeKind.PrReady when changes.HasChanges:
                return declared.Summary is { Length: > 0 } ? declared : AgentOutcome.PrReady(SummaryOf(changes), declared.Reason);
            case AgentOutcomeKind.PrReady:
                return AgentOutcome.Failed("The agent declared pr_ready, but the worktree has no new commits or changes.");
            default:
                break;
        }
        if (run.Exit.Kind is ProcessExitKind.Timeout or ProcessExitKind.Stopped or ProcessExitKind.Crashed)
        {
            return AgentOutcome.Failed($"The agent did not finish: {run.Exit.Describe()}.");
        }
        if (changes.HasChanges)
        {
            return AgentOutcome.PrReady(SummaryOf(changes),
                "No outcome block; the worktree has new commits or changes, so the work is taken as ready.");
        }
        var why = run.Error is { } error ? $"{error.Kind} error: {error.Message}" : run.Exit.Describe();
        return AgentOutcome.Failed($"The agent ended ({why}) without an outcome block and without changes.");
    }

    /// <summary>A summary made from the commit log and the list of uncommitted files.</summary>
    public static string SummaryOf(WorkspaceChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var summary = new StringBuilder();
        if (changes.CommitSubjects.Count > 0)
        {
            summary.Append("Commits:\n");
            foreach (var subject in changes.CommitSubjects)
            {
                summary.Append("- ").Append(subject).Append('\n');
            }
        }
        if (changes.UncommittedFiles.Count > 0)
        {
            summary.Append("Changed files left uncommitted by the agent: ").Append(string.Join(", ", changes.UncommittedFiles)).Append('\n');
        }
        return summary.ToString().TrimEnd();
    }
}
