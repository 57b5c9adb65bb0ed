using System.Globalization;
using System.Text;
using AgentMesh.Core.Jobs;
using AgentMesh.Guardrails.UntrustedText;

namespace AgentMesh.Server.Worker;

/// <summary>
/// The prompt an agent gets: the issue, its conversation, and what this round is for (a first
/// try, an answer to the agent's questions, or review feedback on its pull request). Everything
/// written on GitHub goes through <see cref="UntrustedPromptBuilder"/>: hidden text removed, each
/// part labelled with its author and association, and comments by people who may not trigger work
/// on the repository left out. The outcome protocol's instructions are appended by the agent runner.
/// </summary>
public static class JobPrompt
{
    private static readonly UntrustedTextSanitizer Sanitizer = new();

    /// <summary>Builds the first prompt of a run.</summary>
    /// <param name="mayTrigger">Whether a login may trigger work on the repository (allowed users, or write access).</param>
    public static JobPromptText Build(string repo, Octokit.Issue issue, IReadOnlyList<Octokit.IssueComment> comments, JobActorState job, string botLogin, Func<string, bool> mayTrigger)
    {
        ArgumentNullException.ThrowIfNull(issue);
        ArgumentNullException.ThrowIfNull(comments);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(mayTrigger);
        var author = issue.User?.Login ?? "";
        var parts = new List<UntrustedPart>
        {
            new(UntrustedPartKind.IssueBody, author, IssueAuthorAssociation(repo, author, comments, mayTrigger), string.IsNullOrWhiteSpace(issue.Body) ? "(no description)" : issue.Body, issue.Title),
        };
        // AgentMesh's own comments are its status and questions, not the conversation.
        parts.AddRange(comments
            .Where(c => !string.Equals(c.User?.Login, botLogin, StringComparison.OrdinalIgnoreCase))
            .Select(c => new UntrustedPart(UntrustedPartKind.Comment, c.User?.Login ?? "", Association(c.AuthorAssociation), c.Body ?? "")));
        var untrusted = new UntrustedPromptBuilder(Sanitizer, part => mayTrigger(part.Author)).Build(parts);

        var prompt = new StringBuilder();
        prompt.AppendLine(CultureInfo.InvariantCulture, $"You are working on GitHub issue #{issue.Number} in the repository {repo}.");
        prompt.AppendLine("Make the change the issue asks for in this working copy and commit it with a clear message.");
        prompt.AppendLine();
        prompt.Append(untrusted.Text);

        if (job.Clarification is { Answer: { } answer } clarification)
        {
            prompt.AppendLine();
            prompt.AppendLine("## Your earlier questions and the answer");
            foreach (var question in clarification.Questions)
            {
                prompt.AppendLine(CultureInfo.InvariantCulture, $"- {question}");
            }
            prompt.AppendLine(CultureInfo.InvariantCulture, $"{answer.Author} answered: {Clean(answer.Text)}");
        }

        if (job.State == JobState.Fixing && job.FixFeedback is { } feedback)
        {
            prompt.AppendLine();
            prompt.AppendLine(CultureInfo.InvariantCulture, $"## Review feedback on your pull request #{job.PullRequest?.Number}");
            prompt.AppendLine("The branch already holds your earlier work. Address this feedback and commit the fix:");
            prompt.AppendLine(CultureInfo.InvariantCulture, $"{feedback.Author}: {Clean(feedback.Text)}");
        }
        return new JobPromptText(prompt.ToString(), untrusted);
    }

    /// <summary>The message sent into a resumed session: only what is new since the agent last spoke.</summary>
    public static string Continuation(JobActorState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.State == JobState.Fixing && job.FixFeedback is { } feedback)
        {
            return $"Review feedback on your pull request from {feedback.Author}: {Clean(feedback.Text)}\nAddress it and commit the fix.";
        }
        if (job.Clarification is { Answer: { } answer })
        {
            return $"{answer.Author} answered your questions: {Clean(answer.Text)}\nContinue with the issue.";
        }
        return "Continue with the issue.";
    }

    /// <summary>Answers and feedback come only from people allowed to trigger work, but still from GitHub: hidden text goes.</summary>
    private static string Clean(string text) => Sanitizer.Sanitize(text).Text;

    /// <summary>
    /// Octokit's issue model drops <c>author_association</c>, so it is found another way: the owner is the owner; a
    /// comment by the same author carries it (it is per user and repository); otherwise someone allowed to trigger
    /// work counts as a collaborator (the least of the inside associations) and anyone else as none.
    /// </summary>
    private static AuthorAssociation IssueAuthorAssociation(string repo, string author, IReadOnlyList<Octokit.IssueComment> comments, Func<string, bool> mayTrigger)
    {
        if (string.Equals(repo.Split('/')[0], author, StringComparison.OrdinalIgnoreCase))
        {
            return AuthorAssociation.Owner;
        }
        if (comments.FirstOrDefault(c => string.Equals(c.User?.Login, author, StringComparison.OrdinalIgnoreCase)) is { } own)
        {
            return Association(own.AuthorAssociation);
        }
        return mayTrigger(author) ? AuthorAssociation.Collaborator : AuthorAssociation.None;
    }

    private static AuthorAssociation Association(Octokit.StringEnum<Octokit.AuthorAssociation> association) =>
        AuthorAssociations.Parse(association.StringValue);
}

/// <summary>A built prompt and what the untrusted-text guardrail kept from GitHub (for the job log).</summary>
public sealed record JobPromptText(string Text, UntrustedPrompt Untrusted);
