using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentMesh.Dashboard.Auth;

/// <summary>
/// The anonymous pages around sign-in. A local link carries its token in the fragment
/// (<c>/signin/local#token</c>): browsers never send a fragment, so the token reaches no request
/// line, access log or proxy; the page posts it in a form body and replaces the address.
/// </summary>
public static class SignInEndpoints
{
    public const string SignInPath = "/signin";
    public const string LocalPath = "/signin/local";
    public const string DeniedPath = "/signin/denied";
    public const string SignOutPath = "/signout";

    public static IEndpointRouteBuilder MapDashboardSignIn(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(SignInPath, (HttpContext context, DashboardOptions options) => Page(SignInMessage(context, options), StatusCodes.Status200OK)).AllowAnonymous();
        endpoints.MapGet(GitHubOAuthSignIn.ChallengePath, (DashboardOptions options) => options.GitHubOAuth.Enabled
            ? Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [GitHubOAuthSignIn.Scheme])
            : Results.Redirect(SignInPath)).AllowAnonymous();
        endpoints.MapGet(DeniedPath, () => Page(
            "Your role does not allow that page. <a href=\"/\">Back to the board</a>.",
            StatusCodes.Status403Forbidden)).AllowAnonymous();
        endpoints.MapGet(LocalPath, () => Results.Content(LocalPage, "text/html; charset=utf-8")).AllowAnonymous();
        endpoints.MapPost(LocalPath, RedeemAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapGet(SignOutPath, async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect(SignInPath);
        }).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> RedeemAsync(HttpContext context, SignInLinks links)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (links.Redeem(form["token"]) is not { } grant)
        {
            return Page("This sign-in link is unknown, expired or already used. Each link signs in once: ask for a new one, or restart the node for a new console link.", StatusCodes.Status401Unauthorized);
        }
        List<Claim> claims = [new Claim(ClaimTypes.Name, grant.Name), new Claim(ClaimTypes.Role, grant.Role), new Claim(DashboardClaims.Method, "link")];
        if (grant.Tenant is { } tenant)
        {
            claims.Add(new Claim(DashboardClaims.Tenant, tenant));
        }
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        return Results.Redirect("/");
    }

    private static string SignInMessage(HttpContext context, DashboardOptions options)
    {
        var query = context.Request.Query;
        var outcome = query.ContainsKey("refused")
            ? "<p data-testid=\"signin-refused\"><strong>GitHub signed you in, but AgentMesh has no place for you:</strong> no tenant has your login as a member or its organisation among yours. Ask an admin to add you.</p>"
            : query.ContainsKey("failed")
                ? "<p data-testid=\"signin-failed\"><strong>GitHub sign-in did not complete.</strong> Try again.</p>"
                : "";
        var github = options.GitHubOAuth.Enabled
            ? $"<p><a data-testid=\"signin-github\" href=\"{GitHubOAuthSignIn.ChallengePath}\">Sign in with GitHub</a></p><p>Or sign in"
            : "<p>Sign in";
        return outcome + github + " with the one-time link the node printed on its console when it started (<code>sign in:</code>), or a link an admin made for you.</p>";
    }

    private static IResult Page(string message, int status) => Results.Content(
        $"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>AgentMesh sign-in</title>"
        + $"<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\"><h1>AgentMesh</h1>{(message.StartsWith('<') ? message : $"<p>{message}</p>")}</body></html>",
        "text/html; charset=utf-8",
        statusCode: status);

    private const string LocalPage = """
        <!doctype html><html lang="en"><meta charset="utf-8"><title>AgentMesh sign-in</title>
        <body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>AgentMesh</h1><p id="m">Signing in…</p>
        <form id="f" method="post" action="/signin/local"><input type="hidden" name="token" id="t"></form>
        <script>
          const token = location.hash.slice(1);
          history.replaceState(null, "", location.pathname);
          if (token) { document.getElementById("t").value = token; document.getElementById("f").submit(); }
          else { document.getElementById("m").textContent = "This link has no token: open the whole link the node printed."; }
        </script></body></html>
        """;
}
