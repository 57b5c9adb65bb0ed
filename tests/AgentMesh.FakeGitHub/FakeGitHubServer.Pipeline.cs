using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentMesh.FakeGitHub.Model;
using Microsoft.AspNetCore.Http;

namespace AgentMesh.FakeGitHub;

/// <summary>The request pipeline: authentication, faults, routing, rate-limit headers, ETags and pagination.</summary>
public sealed partial class FakeGitHubServer
{
    private const string ApiPrefix = "/api/v3/";

    [GeneratedRegex(@"^/(?<owner>[^/]+)/(?<name>[^/]+)\.git(?<rest>/.*)$")]
    private static partial Regex GitPath();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith(ApiPrefix, StringComparison.Ordinal))
        {
            await ApiAsync(context, path[ApiPrefix.Length..]);
            return;
        }
        if (path.StartsWith("/login/oauth/", StringComparison.Ordinal))
        {
            await OAuthAsync(context, path);
            return;
        }
        if (GitPath().Match(path) is { Success: true } git)
        {
            await GitAsync(context, git);
            return;
        }
        context.Response.StatusCode = 404;
    }

    private async Task ApiAsync(HttpContext context, string apiPath)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var identity = Authenticate(context.Request.Headers.Authorization.ToString(), out var authError);
        if (identity is null)
        {
            await WriteAsync(context, apiPath, body, null, 401, Json.Error(authError!, "overview/authenticating-to-the-rest-api"));
            return;
        }
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted);
        }
        RunInterleaving(context.Request.Method, apiPath);
        if (TakeFault(apiPath) is { } fault)
        {
            await AnswerFaultAsync(context, apiPath, body, identity, fault);
            return;
        }

        FakeApiResponse response;
        var (route, match) = FindRoute(context.Request.Method, apiPath);
        try
        {
            if (route is null)
            {
                throw FakeApiException.NotFound();
            }
            if (route.ForApp != (identity.AppId is not null && identity.Installation is null))
            {
                throw route.ForApp
                    ? new FakeApiException(401, "A JSON web token could not be decoded", "apps/apps")
                    : new FakeApiException(403, "Resource not accessible by integration");
            }
            lock (State.Gate)
            {
                response = route.Handler(new FakeApiRequest(context, match!, body, identity));
            }
        }
        catch (FakeApiException error)
        {
            response = new FakeApiResponse(error.StatusCode, Json.Error(error.Message, error.Documentation, error.Errors));
        }

        if (response.Paged)
        {
            response = Paginate(context, apiPath, response);
        }
        var bytes = response.Body is null ? [] : Encoding.UTF8.GetBytes(response.Body.ToJsonString());
        var status = response.StatusCode;
        if (context.Request.Method == "GET" && status == 200)
        {
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"";
            context.Response.Headers.ETag = etag;
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                // GitHub does not count a 304 against the rate limit.
                WriteRateLimitHeaders(context, identity, spend: false, apiPath);
                await WriteAsync(context, apiPath, body, identity, 304, null);
                return;
            }
        }
        WriteRateLimitHeaders(context, identity, spend: apiPath != "rate_limit", apiPath);
        await WriteBytesAsync(context, apiPath, body, identity, status, bytes);
    }

    private (FakeApiRoute? Route, Match? Match) FindRoute(string method, string apiPath)
    {
        var pathOnly = apiPath.Split('?')[0];
        foreach (var route in _routes)
        {
            if (route.Method == method && route.Pattern.Match(pathOnly) is { Success: true } match)
            {
                return (route, match);
            }
        }
        return (null, null);
    }

    private FakeIdentity? Authenticate(string authorization, out string? error)
    {
        error = "Bad credentials";
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            error = "Requires authentication";
            return null;
        }
        var scheme = authorization[..space];
        var credential = authorization[(space + 1)..].Trim();
        if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("token", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        lock (State.Gate)
        {
            if (State.Tokens.TryGetValue(credential, out var identity))
            {
                // GitHub answers an expired installation token like an unknown one.
                return identity.ExpiresAt is { } expiresAt && expiresAt <= Time.GetUtcNow() ? null : identity;
            }
        }
        return credential.Count(c => c == '.') == 2 ? VerifyJwt(credential, out error) : null;
    }

    /// <summary>Checks an App JWT as GitHub does: RS256 by a registered App, not expired, exp at most 10 minutes ahead.</summary>
    private FakeIdentity? VerifyJwt(string jwt, out string? error)
    {
        error = "A JSON web token could not be decoded";
        var parts = jwt.Split('.');
        try
        {
            using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
            using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
            if (header.RootElement.GetProperty("alg").GetString() != "RS256")
            {
                return null;
            }
            var issuer = claims.RootElement.GetProperty("iss").ToString();
            var iat = claims.RootElement.GetProperty("iat").GetInt64();
            var exp = claims.RootElement.GetProperty("exp").GetInt64();
            RSA? key;
            lock (State.Gate)
            {
                State.Apps.TryGetValue(issuer, out key);
            }
            if (key is null)
            {
                error = $"Integration not found for issuer {issuer}";
                return null;
            }
            if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                error = "A JSON web token could not be decoded";
                return null;
            }
            var now = Time.GetUtcNow().ToUnixTimeSeconds();
            if (exp <= now)
            {
                error = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
                return null;
            }
            if (exp - now > 600 || exp - iat > 660)
            {
                error = "'Expiration time' claim ('exp') is too far in the future";
                return null;
            }
            if (iat > now + 60)
            {
                error = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
                return null;
            }
            return new FakeIdentity("app:" + issuer, null, null, issuer);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static byte[] FromBase64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private void RunInterleaving(string method, string apiPath)
    {
        Action<FakeGitHubServer>? action = null;
        lock (_interleavings)
        {
            var index = _interleavings.FindIndex(i => i.Method == method && apiPath.StartsWith(i.PathPrefix, StringComparison.Ordinal));
            if (index >= 0)
            {
                action = _interleavings[index].Action;
                _interleavings.RemoveAt(index);
            }
        }
        action?.Invoke(this);
    }

    private FakeFault? TakeFault(string apiPath)
    {
        lock (_faults)
        {
            var fault = _faults.FirstOrDefault(f => apiPath.StartsWith(f.PathPrefix, StringComparison.Ordinal));
            if (fault is null)
            {
                return null;
            }
            if (--fault.Remaining <= 0)
            {
                _faults.Remove(fault);
            }
            return fault;
        }
    }

    private async Task AnswerFaultAsync(HttpContext context, string apiPath, string body, FakeIdentity identity, FakeFault fault)
    {
        if (fault.Hold is { } hold)
        {
            hold.MarkArrived();
            await hold.Released.WaitAsync(context.RequestAborted);
        }
        if (fault.RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers["retry-after"] = retryAfter.ToString(CultureInfo.InvariantCulture);
        }
        if (fault.PrimaryReset is { } reset)
        {
            context.Response.Headers["x-ratelimit-limit"] = FakeRateLimit.Limit.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["x-ratelimit-remaining"] = "0";
            context.Response.Headers["x-ratelimit-used"] = FakeRateLimit.Limit.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["x-ratelimit-resource"] = "core";
        }
        else
        {
            WriteRateLimitHeaders(context, identity, spend: true, apiPath);
        }
        var documentation = fault.StatusCode == 403 ? "overview/rate-limits-for-the-rest-api" : "overview/resources-in-the-rest-api";
        await WriteAsync(context, apiPath, body, identity, fault.StatusCode, Json.Error(fault.Message, documentation));
    }

    private void WriteRateLimitHeaders(HttpContext context, FakeIdentity identity, bool spend, string apiPath)
    {
        var limit = SpendRateLimit(identity, spend && apiPath != "rate_limit");
        context.Response.Headers["x-ratelimit-limit"] = FakeRateLimit.Limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ratelimit-remaining"] = limit.Remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ratelimit-used"] = (FakeRateLimit.Limit - limit.Remaining).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ratelimit-reset"] = limit.ResetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ratelimit-resource"] = "core";
    }

    /// <summary>The identity's window after this request (spending one unless told not to); refilled once the reset passes.</summary>
    internal FakeRateLimit SpendRateLimit(FakeIdentity identity, bool spend)
    {
        lock (State.Gate)
        {
            var now = Time.GetUtcNow();
            if (!State.RateLimits.TryGetValue(identity.Key, out var limit) || limit.ResetAt <= now)
            {
                State.RateLimits[identity.Key] = limit = new FakeRateLimit { ResetAt = DateTimeOffset.FromUnixTimeSeconds((now + TimeSpan.FromHours(1)).ToUnixTimeSeconds()) };
            }
            if (spend && limit.Remaining > 0)
            {
                limit.Remaining--;
            }
            return new FakeRateLimit { Remaining = limit.Remaining, ResetAt = limit.ResetAt };
        }
    }

    private FakeApiResponse Paginate(HttpContext context, string apiPath, FakeApiResponse response)
    {
        var items = (JsonArray)response.Body!;
        var perPage = Math.Clamp(int.TryParse(context.Request.Query["per_page"], CultureInfo.InvariantCulture, out var size) ? size : 30, 1, 100);
        var page = Math.Max(1, int.TryParse(context.Request.Query["page"], CultureInfo.InvariantCulture, out var number) ? number : 1);
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var slice = new JsonArray([.. items.Skip((page - 1) * perPage).Take(perPage).Select(i => i!.DeepClone())]);
        if (page < last)
        {
            var links = new List<string>
            {
                $"<{PageUrl(context, apiPath, page + 1)}>; rel=\"next\"",
                $"<{PageUrl(context, apiPath, last)}>; rel=\"last\"",
            };
            context.Response.Headers["Link"] = string.Join(", ", links);
        }
        JsonNode body = response.WrapIn is null
            ? slice
            : new JsonObject { ["total_count"] = items.Count, [response.WrapIn] = slice };
        return response with { Body = body, Paged = false };
    }

    private string PageUrl(HttpContext context, string apiPath, int page)
    {
        var query = context.Request.Query
            .Where(q => q.Key != "page")
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"page={page}");
        return $"{ApiBaseAddress}{apiPath.Split('?')[0]}?{string.Join('&', query)}";
    }

    private Task WriteAsync(HttpContext context, string apiPath, string requestBody, FakeIdentity? identity, int status, JsonNode? body) =>
        WriteBytesAsync(context, apiPath, requestBody, identity, status, body is null ? [] : Encoding.UTF8.GetBytes(body.ToJsonString()));

    private async Task WriteBytesAsync(HttpContext context, string apiPath, string requestBody, FakeIdentity? identity, int status, byte[] bytes)
    {
        Record(context, apiPath, requestBody, identity?.Key, status);
        context.Response.StatusCode = status;
        if (bytes.Length > 0 && status != 304)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }

    private void Record(HttpContext context, string path, string body, string? identity, int status)
    {
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        lock (_requests)
        {
            _requests.Add(new RecordedRequest(context.Request.Method, path.Split('?')[0], context.Request.QueryString.Value ?? "", body, identity, status, ifNoneMatch.Length > 0 ? ifNoneMatch : null));
        }
    }

    private async Task GitAsync(HttpContext context, Match git)
    {
        var fullName = git.Groups["owner"].Value + "/" + git.Groups["name"].Value;
        var identity = AuthenticateGit(context.Request.Headers.Authorization.ToString());
        bool exists;
        lock (State.Gate)
        {
            exists = State.Repositories.ContainsKey(fullName);
        }
        if (identity is null)
        {
            Record(context, context.Request.Path.Value!, "", null, 401);
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"GitHub\"";
            return;
        }
        Record(context, context.Request.Path.Value!, "", identity.Key, exists ? 200 : 404);
        if (!exists)
        {
            context.Response.StatusCode = 404;
            return;
        }
        await GitHttpBackend.ServeAsync(context, _root.Path, context.Request.Path.Value!, identity.Actor.Login);
        if (git.Groups["rest"].Value.EndsWith("/git-receive-pack", StringComparison.Ordinal))
        {
            RefreshBranches(fullName);
        }
    }

    /// <summary>Git clients send <c>Basic base64(x-access-token:TOKEN)</c> (or any user name) or a Bearer header.</summary>
    private FakeIdentity? AuthenticateGit(string authorization)
    {
        string? token = null;
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                token = colon >= 0 ? decoded[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
        else if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = authorization[7..].Trim();
        }
        if (token is null)
        {
            return null;
        }
        lock (State.Gate)
        {
            return State.Tokens.TryGetValue(token, out var identity) ? identity : null;
        }
    }

    private void RefreshBranches(string fullName)
    {
        string gitDirectory;
        lock (State.Gate)
        {
            gitDirectory = State.Repositories[fullName].GitDirectory;
        }
        var branches = RunGit(gitDirectory, "for-each-ref", "--format=%(refname:short)", "refs/heads")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lock (State.Gate)
        {
            State.Repositories[fullName].Branches.UnionWith(branches);
        }
    }
}
