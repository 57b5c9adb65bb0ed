namespace AgentMesh.Agents.Adapters;

/// <summary>How an adapter wants its CLI started for one run.</summary>
public sealed record AgentLaunch
{
    /// <summary>The CLI's arguments (argv after the program name).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Variables the adapter adds for its CLI (quiet flags, config dirs).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Lines written to stdin right after start (a stream-json prompt, or a plain prompt).</summary>
    public IReadOnlyList<string> InitialInput { get; init; } = [];

    /// <summary>True when stdin stays open for chat messages; otherwise it is closed after <see cref="InitialInput"/>.</summary>
    public bool StreamingInput { get; init; }
}
