namespace AgentMesh.Guardrails.Egress;

/// <summary>How an <see cref="EgressProxy"/> listens and how long it waits.</summary>
public sealed record EgressProxyOptions
{
    /// <summary>The hosts agents may reach through the proxy. Required.</summary>
    public required EgressAllowlist Allowlist { get; init; }

    /// <summary>Listen on a loopback TCP port (chosen by the OS; see <see cref="EgressProxy.TcpEndpoint"/>). Default: true.</summary>
    public bool ListenOnLoopback { get; init; } = true;

    /// <summary>Also listen on this unix socket (created, replacing a stale file), to bind into a sandbox without network. Default: null.</summary>
    public string? UnixSocketPath { get; init; }

    /// <summary>How long a client may take to send its request head. Default: 10 seconds.</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long connecting to an allowed host may take. Default: 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections open at once through this proxy; more are answered 503 and reported. Default: 256.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>The largest request head accepted. Default: 32 KiB.</summary>
    public int MaxHeadBytes { get; init; } = 32 * 1024;
}
