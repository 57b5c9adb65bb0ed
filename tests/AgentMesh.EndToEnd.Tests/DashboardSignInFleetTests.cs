using System.Net;
using System.Text.RegularExpressions;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using Shouldly;
using Xunit;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>
/// A dashboard sign-in in a fleet: Data Protection's key ring lives in the store, so the cookie one web node
/// makes is read by every web node of the same database, and by no node of another; and GitHub sign-in's state
/// and correlation cookie, made by the node that sent the person to GitHub, are read by the node the callback lands on.
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

    [Fact]
    public async Task GitHub_sign_in_started_on_one_web_node_completes_when_the_callback_lands_on_another()
    {
        const string clientId = "Iv1.fleet-sign-in";
        const string clientSecret = "fleet-sign-in-oauth-secret-0123456789";
        var shared = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var world = await World.StartAsync();
        world.GitHub.RegisterOAuthApp(clientId, clientSecret);
        world.GitHub.OAuthSignedInUser = World.Maintainer;
        world.Settings["AGENTMESH_Store__Provider"] = "postgres";
        world.Settings["AGENTMESH_Store__ConnectionString"] = shared;
        world.Settings["AGENTMESH_Dashboard__GitHubOAuth__ClientId"] = clientId;
        world.Settings["AGENTMESH_Dashboard__GitHubOAuth__ClientSecret"] = clientSecret;
        world.Settings["AGENTMESH_Dashboard__GitHubOAuth__AdminLogins__0"] = World.Maintainer;
        var a = await world.StartNodeAsync("web-a", WebNode(world, "web-a"));
        var b = await world.StartNodeAsync("web-b", WebNode(world, "web-b"));
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });

        // web-a sends the person to GitHub, with its correlation cookie and the state it protected.
        using var challenge = await browser.GetAsync(new Uri(a.BaseAddress, "/signin/github"));
        challenge.StatusCode.ShouldBe(HttpStatusCode.Redirect, "web-a sends the person to GitHub");
        using var authorized = await browser.GetAsync(challenge.Headers.Location!);
        authorized.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the fake GitHub sends the person back with a code");
        var callback = authorized.Headers.Location!;
        callback.Authority.ShouldBe(a.BaseAddress.Authority, "the callback address is the one web-a named (a fleet's public address)");

        // A load balancer hands the callback to web-b, keeping the address the browser asked for.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(b.BaseAddress, callback.PathAndQuery));
        request.Headers.Host = callback.Authority;
        using var landed = await browser.SendAsync(request);

        landed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        landed.Headers.Location!.OriginalString.ShouldBe("/", "web-b read web-a's state and correlation cookie and signed the person in (a failure goes to /signin?failed=github)");
        world.GitHub.OAuthTokensIssued.ShouldBe(1);
        var cookie = cookies.GetCookies(b.BaseAddress)[CookieName].ShouldNotBeNull("web-b set the dashboard cookie").Value;
        using var board = await GetAsync(a, "/", cookie);
        board.StatusCode.ShouldBe(HttpStatusCode.OK, "web-a reads the cookie web-b made");
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
