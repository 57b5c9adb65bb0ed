using AgentMesh.Agents.Workspaces;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Repos;
using AgentMesh.Grains.Deliveries;
using AgentMesh.Grains.Jobs;
using AgentMesh.Server.Actors;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Tenants;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentMesh.Server.Pipeline;

/// <summary>Wires webhook intake and the path from a stored delivery to a job.</summary>
public static class PipelineHostingExtensions
{
    public static WebApplicationBuilder AddAgentMeshPipeline(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        var pipeline = builder.Configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>() ?? new PipelineOptions();
        pipeline.BranchPrefix = builder.Configuration.GetSection(WorkspaceOptions.SectionName).Get<WorkspaceOptions>()?.BranchPrefix
            ?? new WorkspaceOptions().BranchPrefix;
        var problems = pipeline.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
        services.AddSingleton(pipeline);
        builder.AddAgentMeshGitHub();

        // The actors every role talks to.
        services.TryAddSingleton<IRandomSource>(SharedRandomSource.Instance);
        // Section "Jobs": Retry:BaseDelay, Retry:MaxDelay, Retry:MaxAttempts, HistoryLimit … (see docs/configuration.md).
        var jobOptions = builder.Configuration.GetSection("Jobs").Get<JobActorOptions>() ?? new JobActorOptions();
        var jobProblems = jobOptions.Validate();
        if (jobProblems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, jobProblems.Select(p => "Jobs:" + p)));
        }
        services.TryAddSingleton(new JobStateMachine(jobOptions));
        services.TryAddSingleton(new AdmissionPolicy(new AdmissionOptions()));
        services.TryAddSingleton<JobActor>();
        // A job grain's turns run on its silo, whichever role that silo has.
        services.TryAddSingleton<Worker.JobEffects>();
        services.TryAddSingleton<IJobTurnHost, JobTurns>();
        var budgets = builder.Configuration.GetSection(GlobalBudgetOptions.SectionName).Get<GlobalBudgetOptions>() ?? new GlobalBudgetOptions();
        var budgetProblems = budgets.Validate();
        if (budgetProblems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, budgetProblems));
        }
        services.TryAddSingleton(budgets);
        services.TryAddSingleton<GlobalBudget>();
        // Admission asks the tenant of a repo for its budget (the admin API registers the same one).
        services.TryAddSingleton<TenantService>();
        services.TryAddSingleton<RepoActor>();
        services.TryAddSingleton<PullRequestIndex>();

        // Webhook intake: verified, stored durably, acknowledged; processed afterwards.
        services.AddGitHubWebhooks().Bind(builder.Configuration.GetSection("GitHub:Webhooks"));
        // The delivery grain stores each delivery before the 202 and processes it afterwards.
        services.AddSingleton<IWebhookInbox, GrainWebhookInbox>();
        services.AddSingleton<WebhookRouter>();
        services.AddSingleton<WorkIntentHandler>();
        services.AddSingleton<IDeliveryProcessor, DeliveryProcessor>();
        return builder;
    }

    public static WebApplication MapAgentMeshPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGitHubWebhooks("/webhooks/github");
        return app;
    }
}
