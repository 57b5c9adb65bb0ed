using System.Text.Json;
using System.Text.Json.Serialization;
using AgentMesh.Core;
using AgentMesh.Core.Tenants;
using AgentMesh.Grains.Abstractions.Tenants;
using AgentMesh.Server.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentMesh.Server.Api.Tenants;

/// <summary><c>/api/tenants</c>: who may see and steer which repos (members and roles), and where each repo belongs.</summary>
public static class TenantsEndpoints
{
    // A misspelt property must be a 400, not a silently ignored field.
    private static readonly JsonSerializerOptions StrictJson = new(CoreJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static RouteGroupBuilder MapTenants(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var tenants = api.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapGet("/", ListAsync).WithName("ListTenants").WithSummary("Every tenant with its members, installations, repos and budget.");
        tenants.MapPost("/", CreateAsync).WithName("CreateTenant").WithSummary("Creates the tenant of a GitHub account or organisation (a repeat answers the existing one).")
            .Accepts<NewTenantRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        tenants.MapGet("/{account}", GetAsync).WithName("GetTenant").WithSummary("One tenant.").ProducesProblem(StatusCodes.Status404NotFound);
        tenants.MapPut("/{account}/members/{login}", SetMemberAsync).WithName("SetTenantMember")
            .WithSummary("Adds a member or changes a member's role (viewer, maintainer, admin). The last admin cannot be demoted.")
            .Accepts<TenantMemberRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        tenants.MapDelete("/{account}/members/{login}", RemoveMemberAsync).WithName("RemoveTenantMember")
            .WithSummary("Removes a member. The last admin cannot be removed.").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        tenants.MapPut("/{account}/repos/{owner}/{repo}", MoveRepoAsync).WithName("MoveRepoToTenant")
            .WithSummary("Moves a repo to this tenant from whichever tenant held it.").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        tenants.MapPut("/{account}/budget", SetBudgetAsync).WithName("SetTenantBudget")
            .WithSummary("Sets the tenant-wide budget (null is unlimited); admission holds the tenant's new jobs while it is spent.")
            .Accepts<TenantBudget>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<TenantState>, ProblemHttpResult>> SetBudgetAsync(
        string account, HttpRequest request, TenantService tenants, CancellationToken cancellationToken)
    {
        var (budget, problem) = await JsonBody.ReadAsync<TenantBudget>(request, StrictJson, "a tenant budget ({\"dailyTokens\": n|null, \"monthlyCostUsd\": n|null})", cancellationToken).ConfigureAwait(false);
        return problem ?? Answer(account, await tenants.SetBudgetAsync(account, budget!, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Ok<List<TenantState>>> ListAsync(TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok((await tenants.ListAsync(cancellationToken).ConfigureAwait(false)).ToList());

    private static async Task<Results<Ok<TenantState>, ProblemHttpResult>> GetAsync(string account, TenantService tenants, CancellationToken cancellationToken) =>
        await tenants.GetAsync(account, cancellationToken).ConfigureAwait(false) is { } state
            ? TypedResults.Ok(state)
            : NotFound(account);

    private static async Task<Results<Created<TenantState>, ProblemHttpResult>> CreateAsync(HttpRequest request, TenantService tenants, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<NewTenantRequest>(request, StrictJson, "a new tenant ({\"account\": \"login\"})", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }
        var change = await tenants.CreateAsync(body!.Account, cancellationToken).ConfigureAwait(false);
        return change.Done
            ? TypedResults.Created($"{AdminApiExtensions.Prefix}/tenants/{change.State!.Account}", change.State)
            : ApiProblems.BadRequest(change.Error!);
    }

    private static async Task<Results<Ok<TenantState>, ProblemHttpResult>> SetMemberAsync(
        string account, string login, HttpRequest request, TenantService tenants, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TenantMemberRequest>(request, StrictJson, "a member's role ({\"role\": \"viewer|maintainer|admin\"})", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }
        return Answer(account, await tenants.SetMemberAsync(account, login, body!.Role, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<TenantState>, ProblemHttpResult>> RemoveMemberAsync(string account, string login, TenantService tenants, CancellationToken cancellationToken) =>
        Answer(account, await tenants.RemoveMemberAsync(account, login, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<TenantState>, ProblemHttpResult>> MoveRepoAsync(
        string account, string owner, string repo, TenantService tenants, CancellationToken cancellationToken) =>
        Answer(account, await tenants.MoveRepoAsync($"{owner}/{repo}", account, cancellationToken).ConfigureAwait(false));

    private static Results<Ok<TenantState>, ProblemHttpResult> Answer(string account, TenantChange change) =>
        change.Done ? TypedResults.Ok(change.State!)
        : change.Error!.StartsWith($"Tenant {TenantKeys.For(account)} does not exist", StringComparison.Ordinal) ? NotFound(account)
        : ApiProblems.BadRequest(change.Error!);

    private static ProblemHttpResult NotFound(string account) => ApiProblems.NotFound($"Tenant {TenantKeys.For(account)} does not exist.");
}
