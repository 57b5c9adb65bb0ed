using AgentMesh.Dashboard.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Net.Http.Headers;

namespace AgentMesh.Server.Api;

/// <summary>
/// Guards the Orleans dashboard (<c>/orleans</c>), which has no authentication of its own. Two
/// ways in: the admin API's bearer token (checked exactly as <see cref="AdminTokenMiddleware"/>
/// checks it, so a wrong token is a 401 even for a signed-in admin), or a dashboard sign-in with
/// the admin role (the dashboard's cookie, which the host's authentication middleware has already
/// read into <see cref="HttpContext.User"/>). A signed-in maintainer or viewer gets 403; an
/// anonymous browser page load goes to the dashboard's sign-in page, anything else anonymous gets 401.
/// </summary>
public sealed partial class OrleansDashboardGuard
{
    private readonly RequestDelegate _next;
    private readonly AdminTokenMiddleware _token;
    private readonly ILogger<OrleansDashboardGuard> _logger;

    public OrleansDashboardGuard(RequestDelegate next, AdminTokenVerifier verifier, ILogger<AdminTokenMiddleware> tokenLogger, ILogger<OrleansDashboardGuard> logger)
    {
        _next = next;
        _token = new AdminTokenMiddleware(next, verifier, tokenLogger);
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.IsNullOrEmpty(context.Request.Headers.Authorization))
        {
            await _token.InvokeAsync(context).ConfigureAwait(false);
            return;
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            if (user.IsInRole(DashboardRoles.Admin))
            {
                await _next(context).ConfigureAwait(false);
                return;
            }
            LogRefused(_logger, context.Request.Path, "signed in without the admin role");
            await ApiProblems.Problem(
                    StatusCodes.Status403Forbidden,
                    "Forbidden",
                    "The Orleans dashboard is for admins; your dashboard sign-in does not have the admin role.")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (IsPageLoad(context.Request))
        {
            // The cookie handler's challenge: a redirect to /signin with this address as the way back.
            await context.ChallengeAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return;
        }

        LogRefused(_logger, context.Request.Path, "not signed in and no bearer token");
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        await ApiProblems.Problem(
                StatusCodes.Status401Unauthorized,
                "Unauthorized",
                "The Orleans dashboard needs a dashboard sign-in with the admin role, or an 'Authorization: Bearer <admin token>' header.")
            .ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>A browser opening a page (not a script's call): a GET that accepts HTML.</summary>
    private static bool IsPageLoad(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orleans dashboard request to {Path} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, PathString path, string reason);
}
