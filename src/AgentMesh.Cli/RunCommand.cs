using System.CommandLine;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Server;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Changes;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Hosting;
using AgentMesh.Server.Worker;
using AgentMesh.Storage;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentMesh.Cli;

/// <summary>
/// <c>agentmesh run &lt;issue url&gt;</c>: works on one issue in the foreground, with no server: the
/// job's log is shown live, and the command ends when the job has opened a pull request, asked a
/// question, or failed. Configured exactly like <c>serve</c> (the all-in-one overlay, <c>AGENTMESH_</c>
/// environment variables, <c>--Section:Key=value</c> arguments), and it builds the node's own service
/// wiring, but starts none of its background loops (webhook inbox, worker slots, outbox poller).
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        // An array, because configuration overrides (--Section:Key=value) are not options the parser
        // knows and land among the arguments, before or after the URL: SplitArguments sorts them.
        var url = new Argument<string[]>("issue-url")
        {
            Description = $"The issue: {RunIssueUrl.ExpectedForm}. Settings may follow as --Section:Key=value.",
            Arity = ArgumentArity.OneOrMore,
        };
        var dataDirectory = new Option<string?>("--data-dir")
        {
            Description = "Folder for the embedded SQLite store, workspaces and agent runs (default ./.data).",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print only the final job summary, as JSON (no live log).",
        };

        var command = new Command("run", "Work on one issue now, in the foreground: live log, then the pull request (or the agent's questions).")
        {
            url,
            dataDirectory,
            json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (urls, hostArgs) = SplitArguments([.. parseResult.GetValue(url) ?? [], .. parseResult.UnmatchedTokens]);
            if (urls.Count != 1)
            {
                RunConsole.Problem($"expected one issue URL, got {urls.Count}{(urls.Count == 0 ? "" : ": " + string.Join(", ", urls))}; expected {RunIssueUrl.ExpectedForm}.");
                return RunExitCodes.Usage;
            }
            if (!RunIssueUrl.TryParse(urls[0], out var issue, out var problem))
            {
                RunConsole.Problem(problem);
                return RunExitCodes.Usage;
            }
            if (parseResult.GetValue(dataDirectory) is { } dir)
            {
                hostArgs.Add($"--{StoreOptions.SectionName}:DataDirectory={dir}");
            }
            return await RunAsync(issue, [.. hostArgs], new RunConsole(parseResult.GetValue(json)), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// Separates the issue URL from configuration overrides, which the host reads the way
    /// <c>serve</c> does: <c>--Section:Key=value</c>, or <c>--Section:Key value</c>.
    /// </summary>
    public static (List<string> Urls, List<string> HostArgs) SplitArguments(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var urls = new List<string>();
        var hostArgs = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                urls.Add(token);
                continue;
            }
            hostArgs.Add(token);
            if (!token.Contains('=', StringComparison.Ordinal) && i + 1 < tokens.Count)
            {
                hostArgs.Add(tokens[++i]);
            }
        }
        return (urls, hostArgs);
    }

    private static async Task<int> RunAsync(RunIssueUrl issue, string[] hostArgs, RunConsole console, CancellationToken cancellationToken)
    {
        WebApplication app;
        RunSession session;
        RunNodeServices? nodeServices = null;
        try
        {
            // The node's wiring, built but started only in part (see RunNodeServices).
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs });
            // stdout is the job's log; the node's own warnings and errors go to stderr.
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddAgentMeshNode();
            // The run's silo is an implementation detail: its start-up notes would only clutter stderr.
            builder.Logging.AddFilter("Orleans", LogLevel.Error);
            app = builder.Build();
            // The data directory lock first: a run beside a node on the same directory is refused before anything else.
            nodeServices = new RunNodeServices(app.Services);
            await nodeServices.StartAsync(cancellationToken).ConfigureAwait(false);
            session = CreateSession(app.Services, console);
        }
        catch (Exception ex) when (ex is OptionsValidationException or FileNotFoundException or InvalidOperationException)
        {
            if (nodeServices is not null)
            {
                await nodeServices.DisposeAsync().ConfigureAwait(false);
            }
            RunConsole.Problem($"cannot start: {ex.Message}");
            return RunExitCodes.Usage;
        }

        await using (app.ConfigureAwait(false))
        await using (nodeServices.ConfigureAwait(false))
        {
            try
            {
                return await session.RunAsync(issue, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C before a claim (reading the issue, waiting for a retry): nothing to hand back.
                return RunExitCodes.Interrupted;
            }
            catch (HttpRequestException ex)
            {
                RunConsole.Problem($"cannot reach GitHub: {ex.Message}");
                return RunExitCodes.NotDone;
            }
            catch (Exception ex) when (ex is Octokit.ApiException or InvalidOperationException or Core.Jobs.JobDomainException)
            {
                // A domain refusal means someone else moved the job first (e.g. a node re-ran it a moment earlier).
                RunConsole.Problem(ex.Message);
                return RunExitCodes.NotDone;
            }
        }
    }

    private static RunSession CreateSession(IServiceProvider services, RunConsole console)
    {
        // Read every setting the run uses now, so a bad one fails here with its key named (serve validates at start).
        var node = services.GetRequiredService<IOptions<NodeOptions>>().Value;
        _ = services.GetRequiredService<IOptions<StoreOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AgentRunnerOptions>>().Value;
        _ = services.GetRequiredService<IOptions<WorkspaceOptions>>().Value;
        var github = services.GetRequiredService<GitHubClientProvider>();
        if (!github.IsConfigured)
        {
            throw new InvalidOperationException("GitHub access is not configured: set GitHub:Token (AGENTMESH_GitHub__Token) or GitHub:AppId and GitHub:AppPrivateKeyPath.");
        }
        return new RunSession(
            services.GetRequiredService<IAgentMeshStore>(),
            services.GetRequiredService<JobChangeFeed>(),
            services.GetRequiredService<JobActor>(),
            services.GetRequiredService<RepoActor>(),
            github,
            services.GetRequiredService<JobExecution>(),
            services.GetRequiredService<IGrainFactory>(),
            services.GetRequiredService<RunClaimer>(),
            node.NodeId,
            services.GetRequiredService<TimeProvider>(),
            console);
    }
}
