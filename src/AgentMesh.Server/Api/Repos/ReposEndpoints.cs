using System.Text.Json;
using System.Text.Json.Serialization;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Repos;
using AgentMesh.Server.Actors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentMesh.Server.Api.Repos;

/// <summary><c>/api/repos</c>: which repositories AgentMesh works on, and how.</summary>
public static class ReposEndpoints
{
    // A misspelt setting ("maxConcurentJobs") must not be dropped silently and leave the default in force.
    private static readonly JsonSerializerOptions StrictConfigJson = new(CoreJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static RouteGroupBuilder MapRepos(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var repos = api.MapGroup("/repos").WithTags("Repos");
        repos.MapGet("/", ListAsync).WithName("ListRepos").WithSummary("Every configured repository, by name.");
        repos.MapGet("/{owner}/{repo}", GetAsync).WithName("GetRepo").WithSummary("One repository's configuration and budget ledger.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        repos.MapPut("/{owner}/{repo}", PutAsync).WithName("PutRepo")
            .WithSummary("Saves a repository's configuration (the whole of it: omitted settings take their defaults).")
            .Accepts<RepoConfig>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        repos.MapDelete("/{owner}/{repo}", DeleteAsync).WithName("DeleteRepo").WithSummary("Forgets a repository's configuration.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Ok<List<RepoView>>> ListAsync(RepoActor repos, CancellationToken cancellationToken)
    {
        var all = await repos.ListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(all.Select(r => new RepoView(r.Repo, r.State.Config, r.State.Ledger)).ToList());
    }

    private static async Task<Results<Ok<RepoView>, ProblemHttpResult>> GetAsync(string owner, string repo, RepoActor repos, CancellationToken cancellationToken)
    {
        if (!TryName(owner, repo, out var name, out var problem))
        {
            return problem!;
        }
        name = await repos.ConfiguredNameAsync(name, cancellationToken).ConfigureAwait(false);
        var state = await repos.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return state is null
            ? NotConfigured(name)
            : TypedResults.Ok(new RepoView(name, state.Config, state.Ledger));
    }

    private static async Task<Results<Ok<RepoView>, ProblemHttpResult>> PutAsync(
        string owner,
        string repo,
        HttpRequest request,
        RepoActor repos,
        CancellationToken cancellationToken)
    {
        if (!TryName(owner, repo, out var name, out var problem))
        {
            return problem!;
        }
        var (config, bodyProblem) = await JsonBody.ReadAsync<RepoConfig>(request, StrictConfigJson, "a repo configuration", cancellationToken).ConfigureAwait(false);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var problems = config!.Validate();
        if (problems.Count > 0)
        {
            return ApiProblems.BadRequest(
                RepoConfigProblems.Describe(name, problems),
                new Dictionary<string, object?> { ["problems"] = problems });
        }
        // A repo already configured under another letter case is that repo (GitHub's names ignore case).
        name = await repos.ConfiguredNameAsync(name, cancellationToken).ConfigureAwait(false);
        var saved = await repos.SetConfigAsync(name, config, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RepoView(name, saved.Config, saved.Ledger));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string owner, string repo, RepoActor repos, CancellationToken cancellationToken)
    {
        if (!TryName(owner, repo, out var name, out var problem))
        {
            return problem!;
        }
        name = await repos.ConfiguredNameAsync(name, cancellationToken).ConfigureAwait(false);
        return await repos.DeleteAsync(name, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : NotConfigured(name);
    }

    private static ProblemHttpResult NotConfigured(string name) => ApiProblems.NotFound($"Repo {name} is not configured.");

    private static bool TryName(string owner, string repo, out string name, out ProblemHttpResult? problem)
    {
        name = $"{owner}/{repo}";
        problem = RepoName.IsValid(name) ? null : ApiProblems.BadRequest($"owner and repo must be a GitHub 'owner/name' without whitespace (was '{name}').");
        return problem is null;
    }
}
