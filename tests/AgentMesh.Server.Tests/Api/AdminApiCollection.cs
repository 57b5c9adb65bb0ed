using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary>One node shared by the API and CLI test classes in this collection; each test uses its own repo names.</summary>
[CollectionDefinition(Name)]
public sealed class AdminApiCollection : ICollectionFixture<SharedAdminApiNode>
{
    public const string Name = "admin-api node";
}

/// <summary>The shared node's lifetime, as xunit wants it.</summary>
public sealed class SharedAdminApiNode : IAsyncLifetime
{
    private AdminApiNode? _node;

    public AdminApiNode Node => _node ?? throw new InvalidOperationException("The node has not started.");

    public async Task InitializeAsync() => _node = await AdminApiNode.StartAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
