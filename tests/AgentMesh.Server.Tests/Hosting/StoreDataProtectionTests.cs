using System.Net;
using AgentMesh.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using AgentMesh.Server.Tests.Api;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Hosting;

/// <summary>The node keeps Data Protection's key ring in its store (docs/dashboard.md, signing in on any node of a fleet).</summary>
public sealed class StoreDataProtectionTests
{
    [Fact]
    public async Task A_starting_node_makes_its_first_key_in_the_store_after_the_migrations_ran()
    {
        await using var node = await AdminApiNode.StartAsync();

        node.App.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository.ShouldBeOfType<StoreXmlRepository>();
        var key = (await node.Store.DataProtectionKeys.ReadAllAsync()).ShouldHaveSingleItem("Data Protection made one key when the node started");
        key.FriendlyName.ShouldStartWith("key-");
        key.Xml.ShouldStartWith("<key id=\"");
        // Read before the store's migrations, the ring's table would be missing and Data Protection would log that it failed to load.
        node.Logs.Messages.Where(m => m.Contains("DataProtection", StringComparison.Ordinal) && m.StartsWith("Error", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_dashboard_sign_in_cookie_is_read_by_any_data_protection_over_the_same_store()
    {
        await using var node = await AdminApiNode.StartAsync();
        var cookies = new CookieContainer();
        using var signedIn = await node.SignedInClientAsync("viewer", cookies);
        var cookie = cookies.GetCookies(node.BaseAddress)["agentmesh.dashboard"].ShouldNotBeNull("the sign-in set the dashboard cookie");

        // Another process's Data Protection: nothing shared with the node but the store and the application name.
        var services = new ServiceCollection().AddLogging();
        services.AddDataProtection().SetApplicationName(DataProtectionHostingExtensions.ApplicationName);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new StoreXmlRepository(node.Store));
        await using var provider = services.BuildServiceProvider();
        var protector = provider.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", CookieAuthenticationDefaults.AuthenticationScheme, "v2");

        var ticket = new TicketDataFormat(protector).Unprotect(cookie.Value).ShouldNotBeNull("the cookie unprotects with the store's key ring");
        ticket.Principal.IsInRole("viewer").ShouldBeTrue();
        ticket.Principal.Identity!.Name.ShouldBe("test-viewer");
    }

    [Fact]
    public async Task Another_store_key_ring_does_not_read_the_cookie()
    {
        await using var node = await AdminApiNode.StartAsync();
        await using var other = await AdminApiNode.StartAsync();
        var cookies = new CookieContainer();
        using var signedIn = await node.SignedInClientAsync("viewer", cookies);
        var cookie = cookies.GetCookies(node.BaseAddress)["agentmesh.dashboard"].ShouldNotBeNull();

        using var elsewhere = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = other.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", $"agentmesh.dashboard={cookie.Value}");
        using var refused = await elsewhere.SendAsync(request);
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, "a node on another store cannot read the cookie, so it sends the person to sign in");
        refused.Headers.Location!.AbsolutePath.ShouldBe("/signin");
    }
}
