namespace AgentMesh.Server.Hosting;

/// <summary>What this node is and does. Bound from the <c>Node</c> configuration section.</summary>
public sealed class NodeOptions
{
    public const string SectionName = "Node";

    /// <summary>This node's id in the cluster. Default: the machine name and process id.</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// <c>web</c> (webhooks, API, dashboard), <c>worker</c> (claims jobs and runs agents), or both,
    /// comma-separated. Default: <c>web,worker</c>.
    /// </summary>
    /// <remarks>
    /// One string rather than a list: configuration merges list entries index by index across
    /// sources, so an environment variable naming one role would keep the overlay's other one.
    /// </remarks>
    public string Roles { get; set; } = "web,worker";

    /// <summary>The roles, parsed.</summary>
    public IReadOnlyList<string> RoleList =>
        Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>How many agents this node runs at once when it has the worker role. Default 2.</summary>
    public int WorkerSlots { get; set; } = 2;

    public bool IsWeb => RoleList.Contains("web", StringComparer.Ordinal);

    public bool IsWorker => RoleList.Contains("worker", StringComparer.Ordinal);
}
