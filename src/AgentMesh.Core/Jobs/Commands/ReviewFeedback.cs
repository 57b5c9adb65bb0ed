namespace AgentMesh.Core.Jobs.Commands;

/// <summary>A person reviewed the job's pull request and asked for changes.</summary>
public sealed record ReviewFeedback(string Author, string Text) : JobCommand;
