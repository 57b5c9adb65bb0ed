using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentMesh.FakeGitHub.Model;
using Microsoft.AspNetCore.Http;

namespace AgentMesh.FakeGitHub;

/// <summary>
/// GitHub's OAuth App web flow, as GitHub answers it: <c>GET /login/oauth/authorize</c> sends the browser back to
/// the app's callback with a one-time code (GitHub's consent page is skipped: the person is taken to have
/// agreed), <c>POST /login/oauth/access_token</c> trades the code for a <c>gho_</c> token (JSON when asked for
/// it, else form-encoded; errors as a 200 with an <c>error</c> field, as GitHub does), and that token
/// authenticates API calls as the user. PKCE (S256) is checked when the authorize request carried a challenge.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly Dictionary<string, string> _oauthApps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingCode> _oauthCodes = new(StringComparer.Ordinal);

    /// <summary>Who is signed in to GitHub in "the browser": the next authorize request signs this login in.</summary>
    public string? OAuthSignedInUser { get; set; }

    /// <summary>OAuth tokens issued so far.</summary>
    public int OAuthTokensIssued { get; private set; }

    /// <summary>Registers an OAuth App; its client id and secret are what the web flow checks.</summary>
    public void RegisterOAuthApp(string clientId, string clientSecret)
    {
        lock (State.Gate)
        {
            _oauthApps[clientId] = clientSecret;
        }
    }

    private async Task OAuthAsync(HttpContext context, string path)
    {
        switch (context.Request.Method, path)
        {
            case ("GET", "/login/oauth/authorize"):
                Authorize(context);
                return;
            case ("POST", "/login/oauth/access_token"):
                await AccessTokenAsync(context);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private void Authorize(HttpContext context)
    {
        var query = context.Request.Query;
        string clientId = query["client_id"].ToString(), redirect = query["redirect_uri"].ToString();
        lock (State.Gate)
        {
            if (!_oauthApps.ContainsKey(clientId) || !Uri.TryCreate(redirect, UriKind.Absolute, out _))
            {
                // GitHub shows an error page rather than redirecting to an unverified address.
                context.Response.StatusCode = 404;
                return;
            }
            if (OAuthSignedInUser is not { } login)
            {
                context.Response.StatusCode = 401;
                return;
            }
            UserLocked(login, "User");
            var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
            _oauthCodes[code] = new PendingCode(clientId, login, redirect, query["code_challenge"].ToString(), query["scope"].ToString(), Time.GetUtcNow().AddMinutes(10));
            var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            context.Response.Redirect($"{redirect}{separator}code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
        }
    }

    private async Task AccessTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string clientId = form["client_id"].ToString(), secret = form["client_secret"].ToString(), code = form["code"].ToString();
        JsonObject answer;
        lock (State.Gate)
        {
            if (!_oauthApps.TryGetValue(clientId, out var expected)
                || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(secret)))
            {
                answer = OAuthError("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
            }
            else if (!_oauthCodes.Remove(code, out var pending) || pending.ClientId != clientId || pending.ExpiresAt <= Time.GetUtcNow()
                || (form.ContainsKey("redirect_uri") && form["redirect_uri"].ToString() != pending.RedirectUri))
            {
                answer = OAuthError("bad_verification_code", "The code passed is incorrect or expired.");
            }
            else if (pending.Challenge.Length > 0 && !ChallengeMatches(pending.Challenge, form["code_verifier"].ToString()))
            {
                answer = OAuthError("bad_verification_code", "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.");
            }
            else
            {
                var token = "gho_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
                var user = UserLocked(pending.Login, "User");
                State.Tokens[token] = new FakeIdentity("user:" + user.Login, user, null, null);
                OAuthTokensIssued++;
                answer = new JsonObject { ["access_token"] = token, ["token_type"] = "bearer", ["scope"] = pending.Scope.Replace(' ', ',') };
            }
        }
        context.Response.StatusCode = 200;
        if (context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
        }
        else
        {
            context.Response.ContentType = "application/x-www-form-urlencoded; charset=utf-8";
            await context.Response.WriteAsync(
                string.Join('&', answer.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!.GetValue<string>())}")),
                context.RequestAborted);
        }
    }

    /// <summary><c>GET /user/orgs</c>: the organisations the token's user belongs to.</summary>
    private FakeApiResponse ListUserOrganizations(FakeApiRequest request)
    {
        var user = request.Identity.User ?? throw new FakeApiException(403, "Resource not accessible by integration");
        var orgs = State.OrganizationMembers
            .Where(o => o.Value.Contains(user.Login))
            .Select(o => State.Users[o.Key])
            .OrderBy(o => o.Login, StringComparer.OrdinalIgnoreCase)
            .Select(o => (JsonNode)new JsonObject
            {
                ["login"] = o.Login,
                ["id"] = o.Id,
                ["node_id"] = Convert.ToBase64String(Encoding.ASCII.GetBytes($"O_{o.Id}")),
                ["url"] = new Uri(ApiBaseAddress, $"orgs/{o.Login}").AbsoluteUri,
                ["repos_url"] = new Uri(ApiBaseAddress, $"orgs/{o.Login}/repos").AbsoluteUri,
                ["members_url"] = new Uri(ApiBaseAddress, $"orgs/{o.Login}/members{{/member}}").AbsoluteUri,
                ["avatar_url"] = new Uri(WebBaseAddress, $"avatars/{o.Login}").AbsoluteUri,
                ["description"] = null,
            });
        return FakeApiResponse.List(orgs);
    }

    private static bool ChallengeMatches(string challenge, string verifier)
    {
        var computed = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private static JsonObject OAuthError(string error, string description) => new()
    {
        ["error"] = error,
        ["error_description"] = description,
        ["error_uri"] = $"https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#{error.Replace('_', '-')}",
    };

    private sealed record PendingCode(string ClientId, string Login, string RedirectUri, string Challenge, string Scope, DateTimeOffset ExpiresAt);
}
