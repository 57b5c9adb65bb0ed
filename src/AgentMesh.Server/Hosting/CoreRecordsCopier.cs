using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Serialization.Cloning;

namespace AgentMesh.Server.Hosting;

/// <summary>
/// Copies Core's records in grain calls within one silo by handing over the same instance. Orleans copies every
/// argument and result of a call that stays in the silo; for Core's types, which cross calls as JSON
/// (<see cref="GrainSiloConfiguration.AddAgentMeshSerialization"/>), its JSON codec copies by writing and reading the
/// whole value back, and on one node every call stays in the silo: a repo's state alone is read half a dozen times on
/// the path from a webhook to its agent. Core's records are values: positional or init-only properties, read-only
/// collections, built anew with <c>with</c>, never changed in place, so the caller and the grain can share one.
/// <see cref="IsImmutableRecord"/> says which types this covers, and a test holds every Core record to the rule.
/// Calls between silos still serialize, as they must.
/// </summary>
public sealed class CoreRecordsCopier : IGeneralizedCopier
{
    public bool IsSupportedType(Type type) => IsImmutableRecord(type);

    public object? DeepCopy(object? input, CopyContext context) => input;

    // Answered once per type: the reflection stays off the path of each call.
    private static readonly ConcurrentDictionary<Type, bool> Records = new();

    /// <summary>Core's types the compiler made records of (they have the record's <c>EqualityContract</c>).</summary>
    public static bool IsImmutableRecord(Type type) =>
        Records.GetOrAdd(type, static t =>
            IsCoreType(t)
            && t.GetProperty("EqualityContract", BindingFlags.Instance | BindingFlags.NonPublic) is { PropertyType: var contract }
            && contract == typeof(Type));

    public static bool IsCoreType(Type type) => type.Namespace?.StartsWith("AgentMesh.Core", StringComparison.Ordinal) == true;
}
