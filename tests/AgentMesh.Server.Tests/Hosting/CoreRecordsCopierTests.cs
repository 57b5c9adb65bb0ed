using System.Collections.Immutable;
using System.Reflection;
using AgentMesh.Core;
using AgentMesh.Core.Repos;
using AgentMesh.Server.Hosting;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Hosting;

/// <summary>Core's records pass between grains of one silo uncopied, which is safe only while each is a value.</summary>
public sealed class CoreRecordsCopierTests
{
    private static readonly Type[] ValueTypes =
        [typeof(string), typeof(decimal), typeof(DateTimeOffset), typeof(DateTime), typeof(TimeSpan), typeof(Guid), typeof(System.Text.Json.JsonElement)];

    private static readonly Type[] ReadOnlyCollections =
        [typeof(IReadOnlyList<>), typeof(IReadOnlyCollection<>), typeof(IReadOnlyDictionary<,>), typeof(ImmutableArray<>), typeof(IReadOnlySet<>)];

    [Fact]
    public void Every_record_of_core_is_a_value_that_a_caller_and_a_grain_can_share()
    {
        var records = typeof(CoreJson).Assembly.GetTypes().Where(CoreRecordsCopier.IsImmutableRecord).ToList();
        records.Count.ShouldBeGreaterThan(20, "Core's records are found");

        var problems = records.SelectMany(ProblemsOf).ToList();

        problems.ShouldBeEmpty("a record shared between a caller and a grain must not change in place; make it read-only, or keep it out of CoreRecordsCopier");
    }

    [Fact]
    public void The_rule_finds_a_record_that_could_change_in_place()
    {
        ProblemsOf(typeof(MutableRecord)).Count().ShouldBe(3, string.Join("\n", ProblemsOf(typeof(MutableRecord))));
    }

    [Fact]
    public async Task A_silo_hands_a_core_record_over_without_a_copy_and_still_copies_what_is_not_one()
    {
        await using var silo = await OneSilo.StartAsync(() => throw new InvalidOperationException("no store needed"), () => TimeProvider.System);
        var services = silo.Cluster.Silos[0].ServiceProvider;
        var copier = services.GetRequiredService<DeepCopier>();
        var state = new RepoActorState(new RepoConfig { Enabled = true, AllowedUsers = ["octocat"] }, BudgetLedger.Empty);

        copier.Copy(state).ShouldBeSameAs(state);
        var list = new List<string> { "a" };
        copier.Copy(list).ShouldNotBeSameAs(list, "types that are not Core's records are still copied");

        var serializer = services.GetRequiredService<Serializer>();
        var sent = serializer.Deserialize<RepoActorState>(serializer.SerializeToArray(state));
        sent.ShouldNotBeNull().ShouldNotBeSameAs(state);
        sent.Config.AllowedUsers.ShouldBe(["octocat"], "between silos a record still travels as its JSON");
    }

    private static IEnumerable<string> ProblemsOf(Type record)
    {
        foreach (var property in record.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
            {
                yield return $"{record.Name}.{property.Name} has a setter";
            }
            if (!IsValue(property.PropertyType))
            {
                yield return $"{record.Name}.{property.Name} is a {property.PropertyType.Name}, which can change in place";
            }
        }
        foreach (var field in record.GetFields(BindingFlags.Instance | BindingFlags.Public).Where(f => !f.IsInitOnly))
        {
            yield return $"{record.Name}.{field.Name} is a writable field";
        }
    }

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));

    private static bool IsValue(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return IsValue(underlying);
        }
        if (type.IsPrimitive || type.IsEnum || ValueTypes.Contains(type) || CoreRecordsCopier.IsImmutableRecord(type))
        {
            return true;
        }
        return type.IsGenericType
            && ReadOnlyCollections.Contains(type.GetGenericTypeDefinition())
            && type.GetGenericArguments().All(IsValue);
    }

    private sealed record MutableRecord(List<string> Items)
    {
        public int Count { get; set; }

        public byte[] Bytes { get; init; } = [];
    }
}
