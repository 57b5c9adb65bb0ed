using System.Text;
using AgentMesh.Core.Jobs;

namespace AgentMesh.Server.Worker;

/// <summary>
/// The prompt an agent gets: the issue, its conversation, and what this round is for (a first
/// try, an answer to the agent's questions, or review feedback on its pull request). The outcome
/// protocol's instructions are appended by the agent runner.
/// </summary>
public static class JobPrompt
{
    public static string Build(string repo, Octokit.Issue issue, IReadOnlyList<Octokit.IssueComment> comments, JobActorState job, string botLogin)
    {
        ArgumentNullException.ThrowIfNull(issue);
        ArgumentNullException.ThrowIfNull(comments);
        ArgumentNullException.ThrowIfNull(job);
        var prompt = new StringBuilder();
        prompt.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"You are working on GitHub issue #{issue.Number} in the repository {repo}.");
        prompt.AppendLine("Make the change the issue asks for in this working copy and commit it with a clear message.");
        prompt.AppendLine();
        prompt.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"# {issue.Title}");
        prompt.AppendLine();
        prompt.AppendLine(string.IsNullOrWhiteSpace(issue.Body) ? "(no description)" : issue.Body);

        var thread = comments.Where(c => !string.Equals(c.User?.Login, botLogin, StringComparison.OrdinalIgnoreCase)).ToList();
        if (thread.Count > 0)
        {
            prompt.AppendLine();
            prompt.AppendLine("## Conversation on the issue");
            foreach (var comment in thread)
            {
                prompt.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"- {comment.User?.Login ?? "someone"}: {comment.Body}");
            }
        }

        if (job.Clarification is { Answer: { } answer } clarification)
        {
            prompt.AppendLine();
            prompt.AppendLine("## Your earlier questions and the answer");
            foreach (var question in clarification.Questions)
            {
                prompt.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"- {question}");
            }
            prompt.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{answer.Author} answered: {answer.Text}");
        }

        if (job.State == JobState.Fixing && job.FixFeedback is { } feedback)
        {
            prompt.AppendLine();
            prompt.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"## Review feedback on your pull request #{job.PullRequest?.Number}");
            prompt.AppendLine("The branch already holds your earlier work. Address this feedback and commit the fix:");
            prompt.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{feedback.Author}: {feedback.Text}");
        }
        return prompt.ToString();
    }

    /// <summary>The message sent into a resumed session: only what is new since the agent last spoke.</summary>
    public static string Continuation(JobActorState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.State == JobState.Fixing && job.FixFeedback is { } feedback)
        {
            return $"Review feedback on your pull request from {feedback.Author}: {feedback.Text}\nAddress it and commit the fix.";
        }
        if (job.Clarification is { Answer: { } answer })
        {
            return $"{answer.Author} answered your questions: {answer.Text}\nContinue with the issue.";
        }
        return "Continue with the issue.";
    }
}
