namespace AgentMesh.Agents.Profiles;

/// <summary>Which command-line agent a profile runs; each has its own adapter.</summary>
public enum AgentCli
{
    /// <summary>Claude Code (<c>claude -p</c> with stream-json in and out).</summary>
    Claude,

    /// <summary>OpenAI Codex (<c>codex exec --json</c>).</summary>
    Codex,

    /// <summary>Gemini CLI (<c>gemini --output-format stream-json</c>).</summary>
    Gemini,

    /// <summary>Aider (<c>aider --message … --yes-always</c>, plain text).</summary>
    Aider,

    /// <summary>Any program: the prompt in a file, plain text out.</summary>
    Command,
}
