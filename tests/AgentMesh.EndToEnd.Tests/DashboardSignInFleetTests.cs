using System.Net;
using System.Text.RegularExpressions;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using Shouldly;
using Xunit;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>
/// A dashboard sign-in in a fleet: Data Protection's key ring lives in the store, so the cookie one web node
/// makes is read by every web node of the same database, and by no node of another.
/// </summary>
public sealed partial class DashboardSignInFleetTests
{
    private const string CookieName = "agentmesh.dashboard";

    [Fact]
    public async Task A_sign_in_on_one_web_node_is_accepted_by_another_web_node_of_the_same_postgres_and_refused_by_a_node_of_another()
    {
        var shared = await PostgresServer.Shared.CreateDatabaseAsync();
        var another = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var world = await World.StartAsync();
        world.Settings["AGENTMESH_Store__Provider"] = "postgres";
        world.Settings["AGENTMESH_Store__ConnectionString"] = shared;
        var a = await world.StartNodeAsync("web-a", WebNode(world, "web-a"));
        var b = await world.StartNodeAsync("web-b", WebNode(world, "web-b"));
        var elsewhere = await world.StartNodeAsync("web-elsewhere", new Dictionary<string, string>(WebNode(world, "web-elsewhere"))
        {
            ["AGENTMESH_Store__ConnectionString"] = another,
        });

        var cookie = await SignInWithTheConsoleLinkAsync(a);

        using (var board = await GetAsync(b, "/", cookie))
        {
            board.StatusCode.ShouldBe(HttpStatusCode.OK, "web-b reads the cookie web-a made and shows the board");
        }
        using (var stats = await GetAsync(b, "/orleans/ClusterStats", cookie))
        {
            stats.StatusCode.ShouldBe(HttpStatusCode.OK, "web-b sees the console link's admin role in web-a's cookie");
        }
        using (var refused = await GetAsync(elsewhere, "/", cookie))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, "a node of another database has another key ring: the cookie means nothing there");
            refused.Headers.Location!.AbsolutePath.ShouldBe("/signin");
        }
        using (var control = await GetAsync(b, "/", null))
        {
            control.StatusCode.ShouldBe(HttpStatusCode.Redirect, "without the cookie web-b asks for a sign-in");
        }
    }

    /// <summary>
    /// Each node its own data directory and home, as on its own machine: only the database is shared. (The host's
    /// default key ring is a folder under the home, which would otherwise join every node of this test.)
    /// </summary>
    private static Dictionary<string, string> WebNode(World world, string nodeId) => new()
    {
        ["AGENTMESH_Node__Roles"] = "web",
        ["AGENTMESH_Store__DataDirectory"] = world.Directory.Combine(nodeId),
        ["HOME"] = Directory.CreateDirectory(world.Directory.Combine($"{nodeId}-home")).FullName,
    };

    /// <summary>Redeems the one-time link the node printed, as its sign-in page does (the token posted in a form), and returns the cookie.</summary>
    private static async Task<string> SignInWithTheConsoleLinkAsync(AgentMeshProgram node)
    {
        var match = SignInLine().Match(node.Stdout);
        match.Success.ShouldBeTrue($"{node.BaseAddress} printed no sign-in link:\n{AgentMeshProgram.Tail(node.Output)}");
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", match.Groups[2].Value)]);
        using var signedIn = await client.PostAsync(new Uri(match.Groups[1].Value), form);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the console link signs in and sends the person to the board");
        return cookies.GetCookies(node.BaseAddress)[CookieName].ShouldNotBeNull($"signing in on {node.BaseAddress} set no {CookieName} cookie").Value;
    }

    private static async Task<HttpResponseMessage> GetAsync(AgentMeshProgram node, string path, string? cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, path));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{CookieName}={cookie}");
        }
        return await client.SendAsync(request);
    }

    [GeneratedRegex(@"sign in:\s+(http://\S+)#([0-9a-f]{64})")]
    private static partial Regex SignInLine();
}
