using System.Globalization;

namespace AgentMesh.Guardrails.Egress;

/// <summary>
/// Gives a bubblewrap sandbox one way out: the node's <see cref="EgressProxy"/>. The sandbox gets its own network
/// namespace (<c>--unshare-net</c>: only its own loopback, no route to the node or the internet) and the proxy's
/// unix socket bound in at <see cref="SocketPathInSandbox"/>. Agents speak HTTP proxy over TCP, not over a unix
/// socket, so a small relay (<see cref="RelayScript"/>, Python's standard library only) listens on
/// 127.0.0.1:<see cref="PortInSandbox"/> inside the sandbox, forwards each connection to the socket, and runs the
/// agent as its child: it is listening before the agent starts and exits with the agent's exit code.
/// The proxy decides; the relay only carries bytes, so an agent that bypasses the proxy variables reaches nothing.
/// </summary>
/// <param name="hostSocketPath">The proxy's unix socket on the node (<see cref="EgressProxyOptions.UnixSocketPath"/>).</param>
/// <param name="python">The Python 3 interpreter inside the sandbox. Default: <c>/usr/bin/python3</c>.</param>
public sealed class SandboxEgress(string hostSocketPath, string python = SandboxEgress.DefaultPython)
{
    /// <summary>The default interpreter for the relay.</summary>
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>Where the proxy's socket appears inside the sandbox.</summary>
    public const string SocketPathInSandbox = "/run/agentmesh/egress.sock";

    /// <summary>The loopback port the relay listens on inside the sandbox.</summary>
    public const int PortInSandbox = 3128;

    /// <summary>
    /// The relay: argv is socket path, port, then the agent's command. Binds before forking so no agent request
    /// can come before the listener; a signal that kills the agent is passed on as exit code 128 + signal.
    /// </summary>
    public const string RelayScript = """
        import os, socket, sys, threading
        path, port, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(128)
        child = os.fork()
        if child == 0:
            server.close()
            os.execvp(command[0], command)
        def pipe(source, target):
            try:
                while True:
                    data = source.recv(65536)
                    if not data:
                        break
                    target.sendall(data)
                target.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        def serve(client):
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                upstream.connect(path)
            except OSError:
                client.close()
                return
            forward = threading.Thread(target=pipe, args=(client, upstream), daemon=True)
            forward.start()
            pipe(upstream, client)
            forward.join()
            client.close()
            upstream.close()
        def accept():
            while True:
                client, _ = server.accept()
                threading.Thread(target=serve, args=(client,), daemon=True).start()
        threading.Thread(target=accept, daemon=True).start()
        _, status = os.waitpid(child, 0)
        code = os.waitstatus_to_exitcode(status)
        sys.exit(128 - code if code < 0 else code)
        """;

    /// <summary>The proxy URL the agent uses inside the sandbox.</summary>
    public static string ProxyUrl { get; } = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{PortInSandbox}");

    /// <summary>
    /// Proxy variables for the agent's environment, in both spellings (curl reads only lower-case http_proxy;
    /// Node and Python read either). NO_PROXY is cleared so nothing is exempted from the proxy.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["HTTPS_PROXY"] = ProxyUrl,
        ["https_proxy"] = ProxyUrl,
        ["HTTP_PROXY"] = ProxyUrl,
        ["http_proxy"] = ProxyUrl,
        ["NO_PROXY"] = "",
        ["no_proxy"] = "",
    };

    /// <summary>
    /// Rewrites a full bwrap argument list (options, <c>--</c>, command, arguments — what
    /// <c>BubblewrapSandbox.Wrap</c> produces) so the sandbox has no network but the proxy, and the command runs
    /// under the relay.
    /// </summary>
    /// <exception cref="ArgumentException">The list has no <c>--</c> followed by a command.</exception>
    public IReadOnlyList<string> RewriteBwrapArguments(IReadOnlyList<string> bwrapArguments)
    {
        ArgumentNullException.ThrowIfNull(bwrapArguments);
        var separator = IndexOfSeparator(bwrapArguments);
        if (separator < 0 || separator == bwrapArguments.Count - 1)
        {
            throw new ArgumentException("The bwrap arguments need '--' followed by the command to run.", nameof(bwrapArguments));
        }
        var options = bwrapArguments.Take(separator).ToList();
        if (!options.Contains("--unshare-net"))
        {
            options.Add("--unshare-net");
        }
        options.AddRange(["--ro-bind", hostSocketPath, SocketPathInSandbox]);
        return
        [
            .. options,
            "--",
            python, "-c", RelayScript, SocketPathInSandbox, PortInSandbox.ToString(CultureInfo.InvariantCulture),
            .. bwrapArguments.Skip(separator + 1),
        ];
    }

    /// <summary>The first "--" in an option position: option values (paths) follow their option, so skip them.</summary>
    private static int IndexOfSeparator(IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "--")
            {
                return i;
            }
            i += ValuesOf(arguments[i]);
        }
        return -1;
    }

    private static int ValuesOf(string option) => option switch
    {
        "--bind" or "--bind-try" or "--ro-bind" or "--ro-bind-try" or "--dev-bind" or "--dev-bind-try" or "--symlink" or "--setenv" => 2,
        "--chdir" or "--proc" or "--dev" or "--tmpfs" or "--dir" or "--remount-ro" or "--unsetenv" or "--uid" or "--gid"
            or "--hostname" or "--info-fd" or "--sync-fd" or "--block-fd" or "--seccomp" or "--exec-label" or "--file-label"
            or "--lock-file" or "--userns" or "--userns2" or "--pidns" or "--perms" or "--size" or "--cap-add" or "--cap-drop"
            or "--argv0" or "--json-status-fd" or "--userns-block-fd" or "--add-seccomp-fd" => 1,
        _ => 0,
    };
}
