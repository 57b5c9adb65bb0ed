namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>The GitHub part of an agent's prompt, and what was kept from it.</summary>
/// <param name="Text">Labelled, sanitized parts, ready to put into the prompt.</param>
/// <param name="LeftOut">Comments left out because their authors may not trigger work (for the job log, never for the agent).</param>
/// <param name="Removed">Hidden content removed across all included parts, by kind.</param>
public sealed record UntrustedPrompt(
    string Text,
    IReadOnlyList<UntrustedPart> LeftOut,
    IReadOnlyDictionary<RemovedContentKind, int> Removed);
