using AgentMesh.Agents.Processes;
using AgentMesh.Guardrails.Egress;

namespace AgentMesh.Agents.Sandbox;

/// <summary>
/// Wraps an agent's start in bubblewrap (<c>bwrap</c>): system directories read-only, a minimal /etc, a
/// fresh /tmp (tmpfs), an empty HOME, the worktree read-write, nothing else of the node's file system
/// (its data directory, its secrets, other jobs' worktrees), and optionally no network.
/// </summary>
public sealed class BubblewrapSandbox(string bwrapPath = BubblewrapSandbox.DefaultPath)
{
    public const string DefaultPath = "/usr/bin/bwrap";

    /// <summary>System directories every agent needs to run programs.</summary>
    private static readonly string[] SystemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"];

    /// <summary>The parts of /etc that programs need (users, name resolution, certificates, alternatives).</summary>
    private static readonly string[] EtcEntries =
    [
        "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf",
        "/etc/localtime", "/etc/ssl", "/etc/ca-certificates", "/etc/alternatives", "/etc/gitconfig", "/etc/ld.so.cache",
        "/etc/mime.types",
    ];

    /// <summary>True when bubblewrap is installed where this sandbox looks for it.</summary>
    public bool IsAvailable => File.Exists(bwrapPath);

    /// <summary>The bwrap executable this sandbox runs.</summary>
    public string BwrapPath => bwrapPath;

    /// <summary>Returns <paramref name="start"/> rewritten to run inside bubblewrap with <paramref name="spec"/>.</summary>
    public AgentProcessStartInfo Wrap(AgentProcessStartInfo start, SandboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(spec);
        if (!IsAvailable)
        {
            throw new InvalidOperationException(
                $"The sandbox needs bubblewrap at {bwrapPath}: install bubblewrap (apt-get install -y bubblewrap).");
        }
        // Own PID namespace: without it the fresh /proc would show the node's processes, and a same-user agent
        // could read /proc/<node pid>/environ — the node's secrets.
        var args = new List<string> { "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try" };
        if (!spec.Network)
        {
            args.Add("--unshare-net");
        }
        foreach (var dir in SystemDirectories)
        {
            args.AddRange(["--ro-bind-try", dir, dir]);
        }
        foreach (var entry in EtcEntries)
        {
            args.AddRange(["--ro-bind-try", entry, entry]);
        }
        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        foreach (var path in spec.ReadOnlyPaths)
        {
            args.AddRange(["--ro-bind", path, path]);
        }
        foreach (var path in spec.ReadWritePaths)
        {
            args.AddRange(["--bind", path, path]);
        }
        args.AddRange(["--bind", spec.HomeDirectory, spec.HomeDirectory]);
        args.AddRange(["--bind", spec.Worktree, spec.Worktree]);
        args.AddRange(["--chdir", spec.Worktree, "--", start.FileName]);
        args.AddRange(start.Arguments);

        var environment = new Dictionary<string, string>(start.Environment, StringComparer.Ordinal)
        {
            ["HOME"] = spec.HomeDirectory,
            ["TMPDIR"] = "/tmp",
        };
        if (spec.EgressSocketPath is { } socket)
        {
            foreach (var (name, value) in SandboxEgress.Environment)
            {
                environment[name] = value;
            }
            return start with { FileName = bwrapPath, Arguments = new SandboxEgress(socket).RewriteBwrapArguments(args), Environment = environment };
        }
        return start with { FileName = bwrapPath, Arguments = args, Environment = environment };
    }
}
