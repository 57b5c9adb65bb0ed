using AgentMesh.Agents.Profiles;

namespace AgentMesh.Agents.Adapters;

/// <summary>What an adapter knows about the run it prepares.</summary>
/// <param name="Profile">The profile being run.</param>
/// <param name="Prompt">The full prompt, outcome instructions included.</param>
/// <param name="PromptFile">A file holding <paramref name="Prompt"/>, for CLIs that read a file.</param>
/// <param name="HomeDirectory">The run's fresh, empty HOME.</param>
/// <param name="ResumeSessionId">A session to continue, when the CLI supports it.</param>
public sealed record AgentRunContext(AgentProfile Profile, string Prompt, string PromptFile, string HomeDirectory, string? ResumeSessionId);
