using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace AgentMesh.Grains.Workers;

/// <summary>
/// Places a grain only on silos whose metadata lists the <c>worker</c> role (<c>roles</c>, set by each node
/// from its silo-config overlay). Orleans' own <c>RequiredMatchSiloMetadataPlacementFilter</c> does not fit:
/// it keeps the silos whose value equals the calling silo's, so a web silo's call would find no worker.
/// A grain type with no worker silo alive fails to place with Orleans' "no compatible silo" error.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class WorkerSilosOnlyAttribute() : PlacementFilterAttribute(new WorkerSilosOnlyStrategy());

/// <summary>The filter's strategy: it carries nothing but its type.</summary>
public sealed class WorkerSilosOnlyStrategy() : PlacementFilterStrategy(order: 0);

/// <summary>Keeps the candidate silos that declare the worker role.</summary>
public sealed class WorkerSilosOnlyDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public const string RolesKey = "roles";
    public const string WorkerRole = "worker";

    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos) =>
        silos.Where(IsWorker);

    private bool IsWorker(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(RolesKey, out var roles)
        && roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(WorkerRole, StringComparer.Ordinal);
}
