using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using AgentMesh.Core.Tenants;
using AgentMesh.Dashboard.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentMesh.Dashboard.Auth;

/// <summary>
/// Sign-in with GitHub through ASP.NET Core's OAuth handler pointed at GitHub's endpoints (GitHub Enterprise's
/// too: the web and API addresses are the node's). After the code exchange the person's login and organisations
/// (<c>GET /user</c>, <c>GET /user/orgs</c>) decide their role and tenant; the access token is used for those two
/// calls and then dropped, never stored in the cookie.
/// </summary>
public static class GitHubOAuthSignIn
{
    public const string Scheme = "GitHub";
    public const string ChallengePath = "/signin/github";
    public const string CallbackPath = "/signin/github/callback";

    public static AuthenticationBuilder AddGitHubOAuth(this AuthenticationBuilder authentication, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        ArgumentNullException.ThrowIfNull(options);
        var github = options.GitHubOAuth;
        return authentication.AddOAuth(Scheme, "GitHub", oauth =>
        {
            oauth.ClientId = github.ClientId!;
            oauth.ClientSecret = github.ClientSecret!;
            oauth.CallbackPath = CallbackPath;
            oauth.AuthorizationEndpoint = new Uri(options.GitHubWebAddress, "login/oauth/authorize").ToString();
            oauth.TokenEndpoint = new Uri(options.GitHubWebAddress, "login/oauth/access_token").ToString();
            oauth.UserInformationEndpoint = new Uri(github.ApiAddress, "user").ToString();
            oauth.Scope.Add("read:org");
            oauth.UsePkce = true;
            oauth.SaveTokens = false;
            oauth.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            // GitHub's redirect back is a top-level GET, which Lax cookies survive; plain-http nodes (tests, a LAN) need SameAsRequest.
            oauth.CorrelationCookie.SameSite = SameSiteMode.Lax;
            oauth.CorrelationCookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            oauth.Events.OnCreatingTicket = CreatingTicketAsync;
            oauth.Events.OnRemoteFailure = context =>
            {
                var refused = context.Failure is GitHubSignInRefusedException;
                context.Response.Redirect($"{SignInEndpoints.SignInPath}?{(refused ? "refused" : "failed")}=github");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    private static async Task CreatingTicketAsync(OAuthCreatingTicketContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<DashboardOptions>().GitHubOAuth;
        var cancellationToken = context.HttpContext.RequestAborted;
        using var user = await GetAsync(context, context.Options.UserInformationEndpoint, cancellationToken).ConfigureAwait(false);
        var login = user.RootElement.GetProperty("login").GetString()
            ?? throw new GitHubSignInRefusedException("GitHub's /user named no login.");
        using var orgs = await GetAsync(context, new Uri(options.ApiAddress, "user/orgs?per_page=100").ToString(), cancellationToken).ConfigureAwait(false);
        var organizations = orgs.RootElement.EnumerateArray().Select(o => o.GetProperty("login").GetString()!).ToList();

        var claims = new List<Claim> { new(ClaimTypes.Name, login), new(DashboardClaims.Method, "github") };
        if (options.IsAdmin(login))
        {
            claims.Add(new(ClaimTypes.Role, DashboardRoles.Admin));
        }
        else if (await services.GetRequiredService<IDashboardTenants>().ResolveAsync(login, organizations, cancellationToken).ConfigureAwait(false) is { } access)
        {
            claims.Add(new(ClaimTypes.Role, RoleFor(access.Role)));
            claims.Add(new(DashboardClaims.Tenant, access.Account));
        }
        else
        {
            throw new GitHubSignInRefusedException($"No tenant knows {login}.");
        }
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>
    /// A tenant's admin steers its jobs on the board like a maintainer; the dashboard's admin role, which sees every
    /// tenant and runs the tenant panel, comes only from <see cref="GitHubOAuthOptions.AdminLogins"/>.
    /// </summary>
    internal static string RoleFor(TenantRole role) => role == TenantRole.Viewer ? DashboardRoles.Viewer : DashboardRoles.Maintainer;

    private static async Task<JsonDocument> GetAsync(OAuthCreatingTicketContext context, string address, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.AccessToken);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("AgentMesh");
        using var response = await context.Backchannel.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The status only: GitHub's answer could echo what was sent.
            throw new GitHubSignInRefusedException($"GitHub answered {(int)response.StatusCode} to {new Uri(address).AbsolutePath}.");
        }
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>GitHub signed the person in, but AgentMesh gives them no access (or GitHub would not say who they are).</summary>
public sealed class GitHubSignInRefusedException : Exception
{
    public GitHubSignInRefusedException()
    {
    }

    public GitHubSignInRefusedException(string message)
        : base(message)
    {
    }

    public GitHubSignInRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
