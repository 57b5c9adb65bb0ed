namespace AgentMesh.Agents.Events;

/// <summary>
/// One event of the normalised stream every CLI adapter produces, whatever the CLI prints. The closed set
/// of cases lives in this one file so a reader sees the whole vocabulary at once.
/// </summary>
public abstract record AgentEvent;

/// <summary>The CLI opened (or resumed) a session; <paramref name="SessionId"/> continues it later.</summary>
public sealed record SessionStarted(string SessionId, string? Model) : AgentEvent;

/// <summary>Text the model wrote to the person (a whole message, or a chunk of a streamed one).</summary>
public sealed record AssistantText(string Text) : AgentEvent;

/// <summary>The agent asked to run a tool; <paramref name="InputJson"/> is the tool input as JSON.</summary>
public sealed record ToolCall(string Id, string Name, string InputJson) : AgentEvent;

/// <summary>What a tool returned.</summary>
public sealed record ToolResult(string ToolCallId, string Output, bool IsError) : AgentEvent;

/// <summary>Token usage reported by the CLI (cumulative for the run when the CLI reports totals).</summary>
public sealed record UsageReported(AgentUsage Usage) : AgentEvent;

/// <summary>The cost in US dollars the CLI computed for the run so far.</summary>
public sealed record CostReported(decimal Usd) : AgentEvent;

/// <summary>A turn finished. <paramref name="Text"/> is the final answer; <paramref name="IsError"/> when the CLI reports failure.</summary>
public sealed record FinalResult(string Text, string? SessionId, bool IsError) : AgentEvent;

/// <summary>The CLI reported an error; <paramref name="Kind"/> says whether another provider could help.</summary>
public sealed record AgentFailed(AgentErrorKind Kind, string Message) : AgentEvent;

/// <summary>A line that is not part of the CLI's structured protocol (stderr, banners, plain-text CLIs' logs).</summary>
public sealed record RawOutput(string Text, bool FromStderr) : AgentEvent;

/// <summary>The runner moved to the profile's fallback after a provider error.</summary>
public sealed record FallbackStarted(string FromProfile, string ToProfile, string Reason) : AgentEvent;
