using AgentMesh.Guardrails.Secrets;

namespace AgentMesh.Guardrails.Audit;

/// <summary>
/// Builds one run's audit trail from what happens during it: the agent's tool calls, the people involved, and at
/// the end the run's diff stats. Pure (no I/O) and single-threaded, like the grain that owns it. Bounded: past
/// <see cref="MaxToolCalls"/> calls it only counts, so a looping agent cannot grow the record without end.
/// Command lines and unknown tools' inputs are redacted by the secret scanner before they are kept, since the
/// audit is shown on the dashboard and the admin API.
/// </summary>
/// <param name="jobKey">The job's natural key.</param>
/// <param name="run">The run number.</param>
/// <param name="worktree">The run's worktree: paths inside it are kept relative to it.</param>
/// <param name="redactor">Redacts credentials from kept text (give it the node's secrets).</param>
public sealed class RunAuditRecorder(string jobKey, int run, string worktree, SecretScanner redactor)
{
    /// <summary>Tool calls kept per run.</summary>
    public const int MaxToolCalls = 2000;

    private readonly List<AuditToolCall> _toolCalls = [];
    private readonly List<AuditPersonAction> _people = [];
    private readonly string _worktree = worktree.TrimEnd('/') + "/";
    private IReadOnlyList<FileChange> _filesChanged = [];
    private int _dropped;

    /// <summary>Records a tool call as the CLI reported it (the agent event's tool name and input JSON).</summary>
    public void RecordToolCall(DateTimeOffset at, string tool, string inputJson)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(inputJson);
        if (_toolCalls.Count >= MaxToolCalls)
        {
            _dropped++;
            return;
        }
        var (commandLine, read, written, detail) = ToolCallClassifier.Classify(tool, inputJson);
        _toolCalls.Add(new AuditToolCall(
            at,
            tool,
            commandLine is null ? null : redactor.Redact(commandLine),
            [.. read.Select(Relative)],
            [.. written.Select(Relative)],
            detail is null ? null : redactor.Redact(detail)));
    }

    /// <summary>Records that <paramref name="login"/> triggered, approved, chatted with or stopped the run.</summary>
    public void RecordPerson(string login, AuditRole role, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(login);
        _people.Add(new AuditPersonAction(login, role, at));
    }

    /// <summary>Records the run's changes from <c>git diff --numstat base..HEAD</c> (replacing any earlier record).</summary>
    public void RecordDiffStats(string numstat) => _filesChanged = NumstatParser.Parse(numstat);

    /// <summary>The audit record as it stands.</summary>
    public RunAudit Build() => new(jobKey, run, [.. _toolCalls], _dropped, _filesChanged, [.. _people]);

    private string Relative(string path) =>
        path.StartsWith(_worktree, StringComparison.Ordinal) ? path[_worktree.Length..] : path;
}
