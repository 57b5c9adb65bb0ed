using System.Collections.Concurrent;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Node-local memory of agent sessions: a job's agent home directory (where Claude Code keeps its
/// session files) and the last session id. A job that comes back to this node (an answered
/// question, a fix round) resumes its session; on another node it is rebuilt from the thread.
/// </summary>
public sealed class AgentSessions
{
    private readonly ConcurrentDictionary<string, string> _sessions = new(StringComparer.Ordinal);
    private readonly string _root;

    public AgentSessions(string root)
    {
        _root = root;
        Directory.CreateDirectory(_root);
    }

    public string HomeFor(string jobId)
    {
        var home = Path.Combine(_root, jobId, "home");
        Directory.CreateDirectory(home);
        return home;
    }

    public void Remember(string jobId, string sessionId)
    {
        _sessions[jobId] = sessionId;
        File.WriteAllText(Path.Combine(_root, jobId, "session-id"), sessionId);
    }

    /// <summary>
    /// The session to resume, when this node ran the job before and the agent saved the session in
    /// its home (a CLI killed mid-turn may have announced a session it never wrote down).
    /// </summary>
    public string? Find(string jobId)
    {
        var file = Path.Combine(_root, jobId, "session-id");
        var sessionId = _sessions.TryGetValue(jobId, out var known) ? known
            : File.Exists(file) ? File.ReadAllText(file).Trim()
            : null;
        var home = Path.Combine(_root, jobId, "home");
        return sessionId is not null && Directory.Exists(home)
            && Directory.EnumerateFiles(home, $"*{sessionId}*", SearchOption.AllDirectories).Any()
                ? sessionId
                : null;
    }
}
