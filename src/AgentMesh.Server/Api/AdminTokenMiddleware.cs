using Microsoft.Net.Http.Headers;

namespace AgentMesh.Server.Api;

/// <summary>
/// Guards every <c>/api</c> request before routing binds anything: 503 when no admin token is
/// configured, 401 when the request carries no token or a wrong one. It runs ahead of body
/// binding, so an unauthenticated caller learns nothing from validation errors. The token is
/// never logged; refusals log only the path and the reason.
/// </summary>
public sealed partial class AdminTokenMiddleware(RequestDelegate next, AdminTokenVerifier verifier, ILogger<AdminTokenMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!verifier.Enabled)
        {
            await ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Admin API disabled", "admin API disabled: set Admin:Token")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var presented = ReadBearerToken(context.Request.Headers.Authorization.ToString());
        if (presented is null || !verifier.Matches(presented))
        {
            LogRefused(logger, context.Request.Path, presented is null ? "no bearer token" : "wrong token");
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            await ApiProblems.Problem(
                    StatusCodes.Status401Unauthorized,
                    "Unauthorized",
                    presented is null
                        ? "The admin API needs an 'Authorization: Bearer <token>' header."
                        : "The admin token was refused.")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static string? ReadBearerToken(string header) =>
        header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) && header.Length > BearerPrefix.Length
            ? header[BearerPrefix.Length..].Trim()
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin API request to {Path} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, PathString path, string reason);
}
