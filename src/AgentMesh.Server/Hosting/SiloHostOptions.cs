using System.Net;

namespace AgentMesh.Server.Hosting;

/// <summary>
/// The Orleans silo a node hosts. Bound from the <c>Silo</c> section. On the embedded SQLite store
/// the silo is a cluster of one (localhost clustering); on PostgreSQL every node joins one cluster
/// through the membership table.
/// </summary>
public sealed class SiloHostOptions
{
    public const string SectionName = "Silo";

    /// <summary>The cluster's id; nodes with the same id and store form one cluster. Default <c>agentmesh</c>.</summary>
    public string ClusterId { get; set; } = "agentmesh";

    /// <summary>
    /// The service's id, which grain state and reminders are stored under: keep it when the cluster
    /// is redeployed, or the grains start empty. Default <c>agentmesh</c>.
    /// </summary>
    public string ServiceId { get; set; } = "agentmesh";

    /// <summary>
    /// The port silos talk to each other on. Default 11111; 0 picks a free port at start (the
    /// default for the embedded store, where no other silo needs to know it).
    /// </summary>
    public int? SiloPort { get; set; }

    /// <summary>The port external Orleans clients connect to. Default 30000; 0 picks a free port at start.</summary>
    public int? GatewayPort { get; set; }

    /// <summary>
    /// The address other silos reach this one at (a fleet: the VPS's private address). Default: the
    /// first non-loopback IPv4 address of the machine for PostgreSQL clusters, loopback for one node.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// One node only: make every grain write on the SQLite file wait for an fsync (<c>PRAGMA
    /// synchronous = FULL</c>), so even a power cut loses no acknowledged webhook. Default false
    /// (<c>NORMAL</c>: durable when the process is killed, not always when the machine loses power),
    /// because FULL caps one node far below 200 webhooks a second on ordinary disks.
    /// </summary>
    public bool SqliteFullSync { get; set; }

    /// <summary>
    /// A fleet's failure detection: how long a silo waits for another's answer to a probe. Unset: Orleans'
    /// default (5 s). With the default, a silo killed with SIGKILL is declared dead 5–15 s later, which is most
    /// of the time its running jobs wait to run again elsewhere (docs/performance.md). Shorter detects sooner,
    /// and declares a silo that stalls longer than this times <see cref="NumMissedProbesLimit"/> (a long GC
    /// pause, a starved VPS) dead too: it then stops, and its jobs run again elsewhere.
    /// </summary>
    public TimeSpan? ProbeTimeout { get; set; }

    /// <summary>A fleet's failure detection: missed probes before a silo suspects another. Unset: Orleans' default (3).</summary>
    public int? NumMissedProbesLimit { get; set; }

    /// <summary>Returns the problems with these options, each naming the key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            problems.Add($"{SectionName}:ClusterId must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            problems.Add($"{SectionName}:ServiceId must not be empty.");
        }
        if (SiloPort is < 0 or > 65535)
        {
            problems.Add($"{SectionName}:SiloPort must be a port number (0 picks a free one), not {SiloPort}.");
        }
        if (GatewayPort is < 0 or > 65535)
        {
            problems.Add($"{SectionName}:GatewayPort must be a port number (0 picks a free one), not {GatewayPort}.");
        }
        if (ProbeTimeout is { } probe && probe < TimeSpan.FromMilliseconds(100))
        {
            problems.Add($"{SectionName}:ProbeTimeout must be at least 100 ms, not {probe}.");
        }
        if (NumMissedProbesLimit is < 1)
        {
            problems.Add($"{SectionName}:NumMissedProbesLimit must be at least 1, not {NumMissedProbesLimit}.");
        }
        if (AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
        {
            problems.Add($"{SectionName}:AdvertisedAddress must be an IP address, not '{address}'.");
        }
        return problems;
    }
}
