using AgentMesh.Agents.Adapters;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Sandbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Agents.Running;

/// <summary>
/// Starts agent runs: picks the profile and its adapter, builds the environment from the allowlist, the
/// profile and the secrets it names, optionally wraps the CLI in the sandbox, and hands back an
/// <see cref="AgentRun"/> to watch, talk to and stop.
/// </summary>
public sealed class AgentRunner : IAsyncDisposable, IDisposable
{
    private readonly IOptionsMonitor<AgentRunnerOptions> _options;
    private readonly INodeSecrets _secrets;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly BubblewrapSandbox _sandbox;
    private readonly Func<string, string?> _nodeVariable;
    private readonly Dictionary<AgentCli, IAgentCliAdapter> _adapters;
    private StandbyLauncher? _standby;

    public AgentRunner(
        IOptionsMonitor<AgentRunnerOptions> options,
        INodeSecrets secrets,
        TimeProvider time,
        ILoggerFactory? loggers = null,
        BubblewrapSandbox? sandbox = null,
        Func<string, string?>? nodeVariable = null,
        IEnumerable<IAgentCliAdapter>? adapters = null)
    {
        _options = options;
        _secrets = secrets;
        _time = time;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _sandbox = sandbox ?? new BubblewrapSandbox();
        _nodeVariable = nodeVariable ?? Environment.GetEnvironmentVariable;
        _adapters = (adapters ?? AgentCliAdapters.All).ToDictionary(a => a.Cli);
    }

    internal AgentRunnerOptions Options => _options.CurrentValue;

    internal TimeProvider Time => _time;

    internal BubblewrapSandbox Sandbox => _sandbox;

    internal INodeSecrets Secrets => _secrets;

    internal Func<string, string?> NodeVariable => _nodeVariable;

    internal ILogger Logger => _loggers.CreateLogger<AgentRun>();

    /// <summary>
    /// From now on keeps one agent launcher started ahead of the next agent (a worker node does, <see cref="StandbyLauncher"/>),
    /// so an agent's start is not also the node's fork and exec of its launcher. Ended when this runner is disposed.
    /// </summary>
    public void KeepLauncherOnStandby()
    {
        if (Interlocked.CompareExchange(ref _standby, new StandbyLauncher(_time, Logger), null) is null)
        {
            _standby.Begin();
        }
    }

    /// <summary>Starts one agent process: from the standby launcher when one is kept, else directly.</summary>
    internal AgentProcess StartProcess(AgentProcessStartInfo start) =>
        _standby is { } standby ? standby.Start(start) : AgentProcess.Start(start, _time, Logger);

    public ValueTask DisposeAsync() => _standby?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>As <see cref="DisposeAsync"/>, without waiting for the standby launcher to exit.</summary>
    public void Dispose() => _standby?.Dispose();

    /// <summary>Starts <paramref name="request"/> and returns the running handle.</summary>
    public AgentRun Start(AgentRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = _options.CurrentValue;
        var profileName = request.ProfileName ?? options.DefaultProfile;
        _ = Profile(profileName);
        if (!Directory.Exists(request.WorkingDirectory))
        {
            throw new DirectoryNotFoundException($"The worktree {request.WorkingDirectory} does not exist.");
        }
        return AgentRun.Start(this, request, profileName);
    }

    internal AgentProfile Profile(string name) =>
        _options.CurrentValue.Profiles.TryGetValue(name, out var profile)
            ? profile
            : throw new InvalidOperationException($"There is no agent profile named '{name}'.");

    internal IAgentCliAdapter Adapter(AgentCli cli) =>
        _adapters.TryGetValue(cli, out var adapter) ? adapter : throw new InvalidOperationException($"No adapter for {cli}.");
}
