using System.Diagnostics;

namespace AgentMesh.Guardrails.Tests.Egress;

/// <summary>Runs a command under bubblewrap with the isolation BubblewrapSandbox gives an agent, for the egress tests.</summary>
internal static class Bubblewrap
{
    public const string Path = "/usr/bin/bwrap";

    private static readonly string[] SystemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"];

    private static readonly string[] EtcEntries =
    [
        "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf",
        "/etc/localtime", "/etc/ssl", "/etc/ca-certificates", "/etc/alternatives", "/etc/ld.so.cache",
    ];

    /// <summary>
    /// BubblewrapSandbox's options, without --die-with-parent: that one kills the child when the thread that forked
    /// it exits, and a test forks from a thread-pool thread that may retire mid-run (the node forks from one
    /// long-lived launcher thread instead).
    /// </summary>
    public static List<string> Arguments(IEnumerable<string> readOnly, IEnumerable<string> readWrite, string workingDirectory, IEnumerable<string> command)
    {
        var args = new List<string> { "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try" };
        foreach (var entry in SystemDirectories.Concat(EtcEntries))
        {
            args.AddRange(["--ro-bind-try", entry, entry]);
        }
        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        foreach (var path in readOnly)
        {
            args.AddRange(["--ro-bind", path, path]);
        }
        foreach (var path in readWrite)
        {
            args.AddRange(["--bind", path, path]);
        }
        args.AddRange(["--chdir", workingDirectory, "--"]);
        args.AddRange(command);
        return args;
    }

    /// <summary>Runs bwrap with <paramref name="arguments"/> and only <paramref name="environment"/>; fails after <paramref name="deadline"/>.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan deadline)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sandboxed process did not exit within {deadline}; stdout: {await stdout}; stderr: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
