using System.Globalization;
using System.Text;
using System.Threading.Channels;
using AgentMesh.Agents.Adapters;
using AgentMesh.Agents.Events;
using AgentMesh.Agents.Outcomes;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Sandbox;
using Microsoft.Extensions.Logging;

namespace AgentMesh.Agents.Running;

/// <summary>
/// A running agent: its normalised events, chat and interrupt while it works, stop, and the result. When
/// an attempt fails with a provider error and its profile names a fallback, the run continues with the
/// fallback profile in the same worktree.
/// </summary>
/// <remarks>
/// A streaming CLI (Claude Code) keeps stdin open between turns. Each user message sent (the prompt, then
/// each chat message) is one turn owed; each final result pays one. When none is owed the run closes stdin,
/// which tells the CLI to exit.
/// </remarks>
public sealed partial class AgentRun : IAsyncDisposable
{
    private readonly AgentRunner _runner;
    private readonly AgentRunRequest _request;
    private readonly ILogger _logger;
    private readonly Channel<AgentEvent> _events = Channel.CreateUnbounded<AgentEvent>();
    private readonly SemaphoreSlim _inputGate = new(1, 1);
    private Attempt _current;
    private int _pendingTurns;
    private int _interrupts;
    private volatile bool _stopRequested;

    private AgentRun(AgentRunner runner, AgentRunRequest request, Attempt first)
    {
        _runner = runner;
        _request = request;
        _logger = runner.Logger;
        _current = first;
        Completion = RunAsync(first);
    }

    /// <summary>Every event of the run, in order; completes when the run ends.</summary>
    public ChannelReader<AgentEvent> Events => _events.Reader;

    /// <summary>Completes with the result when the last attempt has exited.</summary>
    public Task<AgentRunResult> Completion { get; }

    /// <summary>The profile of the attempt now running.</summary>
    public string CurrentProfile => Volatile.Read(ref _current).ProfileName;

    /// <summary>The process group of the attempt now running.</summary>
    public int ProcessGroupId => Volatile.Read(ref _current).Process.ProcessGroupId;

    internal static AgentRun Start(AgentRunner runner, AgentRunRequest request, string profileName)
    {
        var first = Attempt.Open(runner, request, profileName);
        return new AgentRun(runner, request, first);
    }

    /// <summary>Sends a person's message to the running agent (a stream-json user message on stdin).</summary>
    /// <returns>False when the CLI cannot take messages while running, or the run is ending.</returns>
    public async Task<bool> SendMessageAsync(string text, CancellationToken cancellationToken = default)
    {
        await _inputGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var attempt = _current;
            if (_stopRequested || !attempt.Launch.StreamingInput || attempt.Adapter.FormatUserMessage(text) is not { } line)
            {
                return false;
            }
            _pendingTurns++;
            if (await attempt.Process.WriteLineAsync(line, cancellationToken).ConfigureAwait(false))
            {
                LogMessageSent(_logger, attempt.ProfileName, text.Length);
                return true;
            }
            _pendingTurns--;
            return false;
        }
        finally
        {
            _inputGate.Release();
        }
    }

    /// <summary>
    /// Stops the agent's current turn; it then goes on with any message sent before. Claude Code gets an
    /// interrupt control request on stdin; other CLIs get SIGINT.
    /// </summary>
    public async Task<bool> InterruptAsync(CancellationToken cancellationToken = default)
    {
        await _inputGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var attempt = _current;
            var requestId = "agentmesh-interrupt-" + Interlocked.Increment(ref _interrupts).ToString(CultureInfo.InvariantCulture);
            LogInterrupt(_logger, attempt.ProfileName);
            return attempt.Launch.StreamingInput && attempt.Adapter.FormatInterrupt(requestId) is { } line
                ? await attempt.Process.WriteLineAsync(line, cancellationToken).ConfigureAwait(false)
                : attempt.Process.Interrupt();
        }
        finally
        {
            _inputGate.Release();
        }
    }

    /// <summary>Stops the run (SIGTERM to the agent's group, grace period, SIGKILL); no fallback follows.</summary>
    public async Task<AgentRunResult> StopAsync()
    {
        _stopRequested = true;
        await Volatile.Read(ref _current).Process.StopAsync().ConfigureAwait(false);
        return await Completion.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Completion.IsCompleted)
        {
            await StopAsync().ConfigureAwait(false);
        }
        _inputGate.Dispose();
    }

    private async Task<AgentRunResult> RunAsync(Attempt first)
    {
        try
        {
            return await RunAttemptsAsync(first).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // Readers of Events must not wait forever when the run breaks (e.g. a fallback that cannot start).
            _events.Writer.TryComplete(error);
            throw;
        }
    }

    private async Task<AgentRunResult> RunAttemptsAsync(Attempt first)
    {
        var attempt = first;
        var tried = new List<string>();
        var usage = AgentUsage.Zero;
        decimal? cost = null;
        var assistantText = new StringBuilder();
        while (true)
        {
            tried.Add(attempt.ProfileName);
            await BeginAsync(attempt).ConfigureAwait(false);
            AgentFailed? error = null;
            string? sessionId = null;
            var finalText = "";
            decimal? attemptCost = null;

            async Task HandleAsync(AgentEvent agentEvent)
            {
                switch (agentEvent)
                {
                    case SessionStarted started:
                        sessionId = started.SessionId;
                        break;
                    case AssistantText text:
                        assistantText.Append(text.Text).Append('\n');
                        break;
                    case UsageReported reported:
                        usage += reported.Usage;
                        break;
                    case CostReported reported:
                        attemptCost = reported.Usd; // the session's cost so far
                        break;
                    case AgentFailed failed:
                        error = failed;
                        break;
                    case FinalResult result:
                        finalText = result.Text;
                        sessionId ??= result.SessionId;
                        await TurnFinishedAsync(attempt).ConfigureAwait(false);
                        break;
                    default:
                        break;
                }
                _events.Writer.TryWrite(agentEvent);
            }

            await foreach (var line in attempt.Process.Output.ReadAllAsync().ConfigureAwait(false))
            {
                foreach (var agentEvent in attempt.Parser.Parse(line))
                {
                    await HandleAsync(agentEvent).ConfigureAwait(false);
                }
            }
            var exit = await attempt.Process.Exited.ConfigureAwait(false);
            foreach (var agentEvent in attempt.Parser.Complete(exit))
            {
                await HandleAsync(agentEvent).ConfigureAwait(false);
            }
            if (attemptCost is { } spent)
            {
                cost = (cost ?? 0m) + spent;
            }
            await attempt.DisposeAsync().ConfigureAwait(false);
            LogAttemptFinished(_logger, attempt.ProfileName, exit.Describe(), error?.Kind.ToString() ?? "none");

            if (!_stopRequested && error?.Kind == AgentErrorKind.Provider && attempt.Profile.Fallback is { } fallback)
            {
                LogFallback(_logger, attempt.ProfileName, fallback, error.Message);
                _events.Writer.TryWrite(new FallbackStarted(attempt.ProfileName, fallback, error.Message));
                var next = Attempt.Open(_runner, _request, fallback);
                await _inputGate.WaitAsync().ConfigureAwait(false);
                Volatile.Write(ref _current, next);
                _inputGate.Release();
                attempt = next;
                continue;
            }

            _events.Writer.TryComplete();
            return new AgentRunResult(tried, exit, sessionId, finalText, assistantText.ToString(), usage, cost, error);
        }
    }

    private async Task BeginAsync(Attempt attempt)
    {
        await _inputGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _pendingTurns = attempt.Launch.StreamingInput ? 1 : 0;
            foreach (var line in attempt.Launch.InitialInput)
            {
                await attempt.Process.WriteLineAsync(line).ConfigureAwait(false);
            }
            if (!attempt.Launch.StreamingInput)
            {
                await attempt.Process.CloseInputAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _inputGate.Release();
        }
    }

    private async Task TurnFinishedAsync(Attempt attempt)
    {
        await _inputGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!attempt.Launch.StreamingInput || !ReferenceEquals(attempt, _current))
            {
                return;
            }
            _pendingTurns = Math.Max(0, _pendingTurns - 1);
            if (_pendingTurns == 0)
            {
                // Nothing more to say: end of input lets the CLI exit after its last turn.
                await attempt.Process.CloseInputAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _inputGate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent run with profile {Profile} finished: {Exit}, error {ErrorKind}")]
    private static partial void LogAttemptFinished(ILogger logger, string profile, string exit, string errorKind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Profile {Profile} failed with a provider error; falling back to {Fallback}: {Reason}")]
    private static partial void LogFallback(ILogger logger, string profile, string fallback, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent a chat message ({Length} chars) to the agent of profile {Profile}")]
    private static partial void LogMessageSent(ILogger logger, string profile, int length);

    [LoggerMessage(Level = LogLevel.Information, Message = "Interrupting the agent of profile {Profile}")]
    private static partial void LogInterrupt(ILogger logger, string profile);

    /// <summary>One CLI process of the run, with everything needed to talk to it and clean up after it.</summary>
    private sealed class Attempt : IAsyncDisposable
    {
        private Attempt(string profileName, AgentProfile profile, IAgentCliAdapter adapter, AgentLaunch launch, AgentProcess process, string runDirectory)
        {
            ProfileName = profileName;
            Profile = profile;
            Adapter = adapter;
            Launch = launch;
            Process = process;
            RunDirectory = runDirectory;
            Parser = adapter.CreateParser();
        }

        public string ProfileName { get; }

        public AgentProfile Profile { get; }

        public IAgentCliAdapter Adapter { get; }

        public AgentLaunch Launch { get; }

        public AgentProcess Process { get; }

        public IAgentOutputParser Parser { get; }

        public string RunDirectory { get; }

        public static Attempt Open(AgentRunner runner, AgentRunRequest request, string profileName)
        {
            var options = runner.Options;
            var profile = runner.Profile(profileName);
            var adapter = runner.Adapter(profile.Cli);
            var runsRoot = options.RunsDirectory ?? Path.Combine(Path.GetTempPath(), "agentmesh-runs");
            var runDirectory = Path.Combine(runsRoot, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(runDirectory);
            try
            {
                var home = request.HomeDirectory ?? Path.Combine(runDirectory, "home");
                Directory.CreateDirectory(home);
                var prompt = request.AppendOutcomeInstructions ? request.Prompt + OutcomeProtocol.Instructions : request.Prompt;
                var promptFile = Path.Combine(runDirectory, "prompt.md");
                File.WriteAllText(promptFile, prompt);

                var launch = adapter.Prepare(new AgentRunContext(profile, prompt, promptFile, home, request.ResumeSessionId));
                var runVariables = new Dictionary<string, string>(launch.Environment, StringComparer.Ordinal)
                {
                    ["HOME"] = home,
                    ["AGENTMESH_PROMPT_FILE"] = promptFile,
                };
                var environment = AgentEnvironment.Build(options.EnvironmentAllowlist, runner.NodeVariable, profile, runner.Secrets, runVariables, profileName);
                var start = new AgentProcessStartInfo
                {
                    FileName = ResolveExecutable(profile.ResolveCommand(), environment, profileName),
                    Arguments = launch.Arguments,
                    WorkingDirectory = request.WorkingDirectory,
                    Environment = environment,
                    Timeout = profile.Timeout,
                    GracePeriod = options.GracePeriod,
                };
                if (profile.Sandbox)
                {
                    // With an allowlist the proxy is the only way out; without its socket, no way out at all.
                    var egress = profile.EgressAllowlist.Count > 0;
                    start = runner.Sandbox.Wrap(start, new SandboxSpec(
                        request.WorkingDirectory, home, profile.Network && !egress, request.SandboxReadWritePaths,
                        [.. CommandDirectories(start.FileName, environment), runDirectory])
                    {
                        EgressSocketPath = egress ? request.EgressSocketPath : null,
                    });
                }
                var process = runner.StartProcess(start);
                return new Attempt(profileName, profile, adapter, launch, process, runDirectory);
            }
            catch
            {
                // Nothing started: leave no scratch folder behind.
                Directory.Delete(runDirectory, recursive: true);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Process.DisposeAsync().ConfigureAwait(false);
            try
            {
                Directory.Delete(RunDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A straggler may still hold a file; the folder lives under the runs directory and is swept later.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        /// <summary>The command as an absolute path, so a missing CLI fails here with a clear message rather than as an exit code.</summary>
        private static string ResolveExecutable(string command, IReadOnlyDictionary<string, string> environment, string profileName)
        {
            var path = Path.IsPathRooted(command) ? command : FindOnPath(command, environment.GetValueOrDefault("PATH") ?? "");
            return path is not null && File.Exists(path)
                ? path
                : throw new InvalidOperationException(
                    $"The agent command '{command}' of profile '{profileName}' was not found (PATH={environment.GetValueOrDefault("PATH")}). Install the CLI or set the profile's Command.");
        }

        /// <summary>The folders a sandboxed agent needs to see to start its CLI (its own, and a symlink's target's).</summary>
        private static IEnumerable<string> CommandDirectories(string command, IReadOnlyDictionary<string, string> environment)
        {
            var path = Path.IsPathRooted(command) ? command : FindOnPath(command, environment.GetValueOrDefault("PATH") ?? "");
            if (path is null)
            {
                yield break;
            }
            var directory = Path.GetDirectoryName(path)!;
            if (!IsSystemPath(directory))
            {
                yield return directory;
            }
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName;
            if (target is not null && Path.GetDirectoryName(target) is { } targetDirectory && targetDirectory != directory && !IsSystemPath(targetDirectory))
            {
                yield return targetDirectory;
            }
        }

        private static bool IsSystemPath(string directory) =>
            directory.StartsWith("/usr/", StringComparison.Ordinal) || directory is "/usr" or "/bin" or "/sbin";

        private static string? FindOnPath(string command, string path) =>
            path.Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, command))
                .FirstOrDefault(File.Exists);
    }
}
