namespace AgentMesh.Core.Jobs.Commands;

/// <summary>A person reviewed the job's pull request and asked for changes.</summary>
/// <param name="ReviewId">
/// The GitHub review the feedback belongs to (a submitted review, or the review an inline comment
/// is part of); null for a comment in the PR's conversation. One review arrives as several
/// deliveries (the review, then one per inline comment): they share this id and make one fix round.
/// </param>
public sealed record ReviewFeedback(string Author, string Text, long? ReviewId = null) : JobCommand;
