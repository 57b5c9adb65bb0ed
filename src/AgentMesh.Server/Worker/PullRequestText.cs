using System.Globalization;
using System.Text;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Core.Jobs;

namespace AgentMesh.Server.Worker;

/// <summary>The words AgentMesh writes on GitHub: the PR body and its comments.</summary>
public static class PullRequestText
{
    public static string Body(JobActorState job, string summary, WorkspaceChanges changes, IReadOnlyList<string> changedFiles)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(changedFiles);
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"Fixes #{job.Number}");
        body.AppendLine();
        body.AppendLine(summary);
        if (changes.CommitSubjects.Count > 0)
        {
            body.AppendLine();
            body.AppendLine("**Commits**");
            foreach (var subject in changes.CommitSubjects)
            {
                body.AppendLine(CultureInfo.InvariantCulture, $"- {subject}");
            }
        }
        if (changedFiles.Count > 0)
        {
            body.AppendLine();
            body.AppendLine("**Files changed**");
            foreach (var file in changedFiles)
            {
                body.AppendLine(CultureInfo.InvariantCulture, $"- `{file}`");
            }
        }
        body.AppendLine();
        body.AppendLine(Usage(job));
        return body.ToString();
    }

    public static string Usage(JobActorState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var total = job.Usage.Total;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Tokens: {total.Tokens.Input:N0} input, {total.Tokens.Output:N0} output, {total.Tokens.CacheRead:N0} cache read, {total.Tokens.CacheWrite:N0} cache write · cost ${total.CostUsd:0.0000}");
    }
}
