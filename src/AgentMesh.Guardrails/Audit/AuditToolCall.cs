namespace AgentMesh.Guardrails.Audit;

/// <summary>One tool call an agent made, as the audit keeps it.</summary>
/// <param name="At">When the call was reported.</param>
/// <param name="Tool">The tool's name as the CLI reports it (Bash, Edit, command_execution …).</param>
/// <param name="CommandLine">For a shell tool: the command line, with credentials redacted; otherwise null.</param>
/// <param name="FilesRead">Files the call read, relative to the worktree when inside it.</param>
/// <param name="FilesWritten">Files the call wrote, relative to the worktree when inside it.</param>
/// <param name="Detail">For tools of no known shape: their input, shortened and redacted; otherwise null.</param>
public sealed record AuditToolCall(
    DateTimeOffset At,
    string Tool,
    string? CommandLine,
    IReadOnlyList<string> FilesRead,
    IReadOnlyList<string> FilesWritten,
    string? Detail = null);
