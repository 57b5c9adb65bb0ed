using System.Net;
using System.Text.Json;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests;

/// <summary><c>agentmesh serve</c> as a user meets it: a real process, a real SQLite file, real HTTP.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_on_the_embedded_default_creates_the_store_says_where_it_is_and_is_ready()
    {
        using var workDir = new TempDirectory("agentmesh-serve");
        await using var node = AgentMeshProgram.Start(workDir.Path, null, "serve", "--urls", "http://127.0.0.1:0");

        var baseUri = await node.WaitForListeningAsync();

        var databasePath = Path.Combine(workDir.Path, ".data", "agentmesh.db");
        node.Stdout.ShouldContain($"store:     sqlite at {databasePath}");
        File.Exists(databasePath).ShouldBeTrue($"the SQLite file should be created at {databasePath}");

        using var http = new HttpClient { BaseAddress = baseUri };
        (await http.GetStringAsync("/healthz")).ShouldBe("alive");
        await node.WaitForReadyAsync();
        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        report.RootElement.GetProperty("ready").GetBoolean().ShouldBeTrue();
        report.RootElement.GetProperty("store").GetString().ShouldBe("sqlite");
        report.RootElement.GetProperty("silo").GetString().ShouldBe("active");
        report.RootElement.GetProperty("reminders").GetBoolean().ShouldBeTrue("the silo's reminder service has read its reminders");
        File.Exists(Path.Combine(workDir.Path, ".data", "orleans.db")).ShouldBeTrue("the silo's grain state and reminders live beside the store");
        report.RootElement.GetProperty("schemaVersion").GetInt32()
            .ShouldBe(report.RootElement.GetProperty("expectedSchemaVersion").GetInt32());
    }

    [Fact]
    public async Task Serve_puts_the_store_in_the_data_directory_it_is_given()
    {
        using var workDir = new TempDirectory("agentmesh-serve");
        var dataDir = Path.Combine(workDir.Path, "elsewhere");
        await using var node = AgentMeshProgram.Start(workDir.Path, null, "serve", "--urls", "http://127.0.0.1:0", "--data-dir", dataDir);

        await node.WaitForListeningAsync();

        File.Exists(Path.Combine(dataDir, "agentmesh.db")).ShouldBeTrue();
        Directory.Exists(Path.Combine(workDir.Path, ".data")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_second_node_on_the_same_data_directory_is_refused_with_a_clear_message()
    {
        using var workDir = new TempDirectory("agentmesh-serve");
        await using var first = AgentMeshProgram.Start(workDir.Path, null, "serve", "--urls", "http://127.0.0.1:0");
        await first.WaitForListeningAsync();

        await using var second = AgentMeshProgram.Start(workDir.Path, null, "serve", "--urls", "http://127.0.0.1:0");

        (await second.WaitForExitAsync()).ShouldBe(2);
        second.Stderr.ShouldContain($"the data directory {Path.Combine(workDir.Path, ".data")} is in use by another AgentMesh node");
        first.HasExited.ShouldBeFalse("the first node keeps running");

        await using var run = AgentMeshProgram.Start(workDir.Path, null, "run", "https://github.com/octo/widgets/issues/1");
        (await run.WaitForExitAsync()).ShouldBe(2);
        run.Stderr.ShouldContain("is in use by another AgentMesh node");
    }

    [Fact]
    public async Task The_data_directory_is_free_again_once_its_node_was_killed()
    {
        using var workDir = new TempDirectory("agentmesh-serve");
        await using (var first = AgentMeshProgram.Start(workDir.Path, null, "serve", "--urls", "http://127.0.0.1:0"))
        {
            await first.WaitForListeningAsync();
            await first.KillAsync();
        }

        await using var second = AgentMeshProgram.Start(workDir.Path, null, "serve", "--urls", "http://127.0.0.1:0");

        await second.WaitForListeningAsync();
    }

    [Theory]
    [InlineData("--Silo:SiloPort=70000", "Silo:SiloPort must be a port number (0 picks a free one), not 70000.")]
    [InlineData("--Silo:AdvertisedAddress=not-an-ip", "Silo:AdvertisedAddress must be an IP address, not 'not-an-ip'.")]
    [InlineData("--Silo:ProbeTimeout=00:00:00.05", "Silo:ProbeTimeout must be at least 100 ms")]
    [InlineData("--Silo:NumMissedProbesLimit=0", "Silo:NumMissedProbesLimit must be at least 1, not 0.")]
    [InlineData("--Grains:DeliveryReminderPeriod=00:00:00.5", "Grains:DeliveryReminderPeriod must be at least 1 second")]
    [InlineData("--Grains:RunWatchPeriod=00:00:00", "Grains:RunWatchPeriod must be at least 1 second")]
    [InlineData("--Grains:EffectsReminderPeriod=00:00:00.2", "Grains:EffectsReminderPeriod must be at least 1 second")]
    [InlineData("--Node:WorkerSlots=0", "Node:WorkerSlots must be between 1 and 1000, not 0.")]
    [InlineData("--Node:Roles=web,janitor", "Node:Roles has 'janitor'; known roles are: web, worker.")]
    [InlineData("--Store:Provider=mysql", "Store:Provider must be 'sqlite' or 'postgres', not 'mysql'.")]
    [InlineData("--Store:Provider=postgres", "Store:ConnectionString is required when Store:Provider is 'postgres'.")]
    public async Task A_bad_setting_stops_the_node_with_a_message_naming_the_key(string setting, string message)
    {
        using var workDir = new TempDirectory("agentmesh-serve");
        await using var node = AgentMeshProgram.Start(workDir.Path, null, "serve", "--urls", "http://127.0.0.1:0", setting);

        var exitCode = await node.WaitForExitAsync();

        exitCode.ShouldBe(2);
        node.Stderr.ShouldContain(message);
    }

    [Fact]
    public async Task Environment_variables_override_the_silo_overlay()
    {
        using var workDir = new TempDirectory("agentmesh-serve");
        var environment = new Dictionary<string, string> { ["AGENTMESH_Node__WorkerSlots"] = "-1" };
        await using var node = AgentMeshProgram.Start(workDir.Path, environment, "serve", "--urls", "http://127.0.0.1:0");

        (await node.WaitForExitAsync()).ShouldBe(2);
        node.Stderr.ShouldContain("Node:WorkerSlots must be between 1 and 1000, not -1.");
    }

    [Fact]
    public async Task A_silo_overlay_sets_the_roles_instead_of_adding_to_the_defaults()
    {
        using var workDir = new TempDirectory("agentmesh-serve");
        var overlay = Path.Combine(workDir.Path, "just-worker.json");
        await File.WriteAllTextAsync(overlay, """{ "Node": { "Roles": "worker", "NodeId": "w1" }, "Store": { "Provider": "sqlite" } }""");
        await using var node = AgentMeshProgram.Start(workDir.Path, null, "serve", "--silo", overlay, "--urls", "http://127.0.0.1:0");

        await node.WaitForListeningAsync();

        node.Stdout.ShouldContain("AgentMesh node w1 (worker)");
    }

    [Fact]
    public async Task An_unknown_silo_is_refused_with_where_it_was_looked_for()
    {
        using var workDir = new TempDirectory("agentmesh-serve");
        await using var node = AgentMeshProgram.Start(workDir.Path, null, "serve", "--silo", "nosuch");

        (await node.WaitForExitAsync()).ShouldBe(2);
        node.Stderr.ShouldContain("No silo config named 'nosuch'");
    }
}
