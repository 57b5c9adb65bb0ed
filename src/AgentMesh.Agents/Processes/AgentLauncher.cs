namespace AgentMesh.Agents.Processes;

/// <summary>
/// What an agent is exec'd through, so that it leads its own session and process group (stop, timeout and interrupt
/// signal the whole group) and is killed when the node that started it dies, even by SIGKILL (a job whose node died
/// never has its old agent still at work while another node runs its next attempt; the signal follows the
/// <see cref="LauncherThread"/>, which lives as long as the node).
/// </summary>
/// <remarks>
/// Our own <c>agentmesh-launch</c> (Launcher/agentmesh-launch.c) does both in one exec when the build could compile
/// it. Otherwise util-linux does them in two: <c>setsid</c> execs <c>setpriv --pdeathsig KILL</c>, which execs the
/// agent. Each exec of a dynamically linked program took 2–4 ms on the 2-core VPS the dispatch benchmark runs on,
/// on the path from the webhook to the agent (docs/performance.md).
/// </remarks>
public static class AgentLauncher
{
    /// <summary>util-linux setsid: execs the program as a new session and process group leader, no shell involved.</summary>
    public const string SetsidPath = "/usr/bin/setsid";

    /// <summary>util-linux setpriv, run between setsid and the agent with <c>--pdeathsig KILL</c>.</summary>
    public const string SetprivPath = "/usr/bin/setpriv";

    /// <summary>The file name the build gives the one-exec launcher, next to the node's assemblies.</summary>
    public const string OwnLauncherFileName = "agentmesh-launch";

    private static readonly string? OwnLauncher = FindOwnLauncher();

    /// <summary>The program that is exec'd: ours, or setsid.</summary>
    public static string Program => OwnLauncher ?? SetsidPath;

    /// <summary>The arguments before the agent's own program and arguments.</summary>
    public static IReadOnlyList<string> ArgumentsBefore { get; } = OwnLauncher is null ? [SetprivPath, "--pdeathsig", "KILL", "--"] : [];

    /// <summary>Whether agents start through our one-exec launcher (false: through setsid and setpriv).</summary>
    public static bool UsesOwnLauncher => OwnLauncher is not null;

    /// <summary>The argument that starts our launcher as a standby, waiting on stdin for its agent (<see cref="StandbyLauncher"/>).</summary>
    public const string StandbyArgument = "--standby";

    /// <summary>Whether a launcher can be started ahead of its agent: only ours can wait for one.</summary>
    public static bool CanStandBy => UsesOwnLauncher;

    private static string? FindOwnLauncher()
    {
        var path = Path.Combine(AppContext.BaseDirectory, OwnLauncherFileName);
        return !OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0 ? path : null;
    }
}
