using System.CommandLine;
using AgentMesh.Core.Jobs;
using AgentMesh.Server.Api.Jobs;
using Spectre.Console;

namespace AgentMesh.Cli;

/// <summary><c>agentmesh jobs list|show|logs|audit|retry|stop</c>: jobs on a running node, through its admin API.</summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var options = new AdminCommandOptions();
        var jobs = new Command("jobs", "List, inspect, follow, retry and stop jobs on a running node.");
        options.AddTo(jobs);
        jobs.Subcommands.Add(CreateList(options));
        jobs.Subcommands.Add(CreateShow(options));
        jobs.Subcommands.Add(JobLogsCommand.Create(options));
        jobs.Subcommands.Add(CreateAudit(options));
        jobs.Subcommands.Add(CreateAction(options, "retry", "Re-run a finished job: a new run from attempt 1."));
        jobs.Subcommands.Add(CreateAction(options, "stop", "Stop a job; its agent is told to stop and its lease released."));
        return jobs;
    }

    /// <summary>The API path of one job.</summary>
    public static string JobPath(string id) => $"api/jobs/{Uri.EscapeDataString(id)}";

    private static Command CreateList(AdminCommandOptions options)
    {
        var repo = new Option<string?>("--repo") { Description = "Only jobs of this repository (owner/name)." };
        var state = new Option<string?>("--state") { Description = "Only jobs in these states, comma-separated (e.g. queued,running)." };
        var limit = new Option<int>("--limit") { Description = "At most this many jobs, newest first (1-500).", DefaultValueFactory = _ => JobsEndpoints.DefaultLimit };
        var command = new Command("list", "List jobs, newest first.") { repo, state, limit };
        options.SetAction(command, async context =>
        {
            var query = new List<string> { $"limit={context.ParseResult.GetValue(limit)}" };
            if (context.ParseResult.GetValue(repo) is { } r)
            {
                query.Add($"repo={Uri.EscapeDataString(r)}");
            }
            if (context.ParseResult.GetValue(state) is { } s)
            {
                query.Add($"state={Uri.EscapeDataString(s)}");
            }
            var body = await context.Client.GetAsync($"api/jobs?{string.Join('&', query)}", context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                Console.Out.WriteLine(body);
                return;
            }
            var page = CliJson.Read<JobListPage>(body);
            if (page.Items.Count == 0)
            {
                AnsiConsole.MarkupLine("[grey]No jobs.[/]");
                return;
            }
            var table = new Table().AddColumns("ID", "REPO", "#", "KIND", "STATE", "ATTEMPT", "PR", "TOKENS", "COST", "UPDATED");
            foreach (var job in page.Items)
            {
                table.AddRow(
                    Markup.Escape(job.Id),
                    Markup.Escape(job.Repo),
                    job.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(job.Kind),
                    StateMarkup(job.State),
                    $"{job.Attempt}/{job.MaxAttempts}",
                    Markup.Escape(CliFormat.OrDash(job.PrUrl)),
                    CliFormat.Number(job.Usage.Tokens.Total),
                    CliFormat.Cost(job.Usage.CostUsd),
                    CliFormat.Time(job.UpdatedAt));
            }
            AnsiConsole.Write(table);
            if (page.HasMore)
            {
                AnsiConsole.MarkupLine($"[grey]More jobs match; raise --limit (now {page.Limit}) to see them.[/]");
            }
        });
        return command;
    }

    private static Command CreateShow(AdminCommandOptions options)
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var command = new Command("show", "Show one job: state, attempts, lease, pull request, usage and recent history.") { id };
        options.SetAction(command, async context =>
        {
            var body = await context.Client.GetAsync(JobPath(context.ParseResult.GetValue(id)!), context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                Console.Out.WriteLine(body);
                return;
            }
            Render(CliJson.Read<JobDetail>(body));
        });
        return command;
    }

    private static Command CreateAudit(AdminCommandOptions options)
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var command = new Command("audit", "Show each run's audit trail: tool calls, files changed, people.") { id };
        options.SetAction(command, async context =>
        {
            var body = await context.Client.GetAsync(JobPath(context.ParseResult.GetValue(id)!) + "/audit", context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                Console.Out.WriteLine(body);
                return;
            }
            var page = CliJson.Read<JobAuditPage>(body);
            if (page.Runs.Count == 0)
            {
                AnsiConsole.MarkupLine("[dim]no run of this job has been audited yet[/]");
            }
            foreach (var run in page.Runs)
            {
                RenderAudit(run.Audit);
            }
        });
        return command;
    }

    private static void RenderAudit(AgentMesh.Guardrails.Audit.RunAudit audit)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var calls = new Table().Title($"Run {audit.Run}: tool calls").AddColumns("AT", "TOOL", "COMMAND", "READ", "WRITTEN");
        foreach (var call in audit.ToolCalls)
        {
            calls.AddRow(CliFormat.Time(call.At), Markup.Escape(call.Tool), Markup.Escape(CliFormat.OrDash(call.CommandLine ?? call.Detail)),
                Markup.Escape(string.Join(", ", call.FilesRead)), Markup.Escape(string.Join(", ", call.FilesWritten)));
        }
        AnsiConsole.Write(calls);
        if (audit.ToolCallsDropped > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{audit.ToolCallsDropped.ToString(inv)} more tool calls were counted but not kept[/]");
        }
        var files = new Table().Title($"Run {audit.Run}: files changed").AddColumns("PATH", "ADDED", "DELETED");
        foreach (var file in audit.FilesChanged)
        {
            files.AddRow(Markup.Escape(file.OldPath is null ? file.Path : $"{file.OldPath} → {file.Path}"),
                file.Added?.ToString(inv) ?? "binary", file.Deleted?.ToString(inv) ?? "binary");
        }
        AnsiConsole.Write(files);
        var people = new Table().Title($"Run {audit.Run}: people").AddColumns("LOGIN", "ROLE", "AT");
        foreach (var person in audit.People)
        {
            people.AddRow(Markup.Escape(person.Login), person.Role.ToString().ToLowerInvariant(), CliFormat.Time(person.At));
        }
        AnsiConsole.Write(people);
    }

    private static Command CreateAction(AdminCommandOptions options, string verb, string description)
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var command = new Command(verb, description) { id };
        options.SetAction(command, async context =>
        {
            var jobId = context.ParseResult.GetValue(id)!;
            var body = await context.Client.SendAsync(HttpMethod.Post, $"{JobPath(jobId)}/{verb}", null, context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                Console.Out.WriteLine(body);
                return;
            }
            var job = CliJson.Read<JobSummary>(body);
            AnsiConsole.MarkupLine($"Job {Markup.Escape(job.Id)} is now {StateMarkup(job.State)} (run {job.Run}, attempt {job.Attempt} of {job.MaxAttempts}).");
        });
        return command;
    }

    private static void Render(JobDetail detail)
    {
        var job = detail.Summary;
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string markup) => grid.AddRow($"[bold]{name}[/]", markup);
        Row("Job", Markup.Escape(job.Id));
        Row("Repo", Markup.Escape($"{job.Repo} #{job.Number}"));
        Row("Kind", Markup.Escape(job.Kind));
        Row("State", StateMarkup(job.State));
        Row("Run / attempt", $"run {job.Run}, attempt {job.Attempt} of {job.MaxAttempts}");
        Row("Run after", CliFormat.Time(job.RunAfter));
        Row("Lease", job.LeaseOwner is null ? "-" : Markup.Escape($"{job.LeaseOwner} since {CliFormat.Time(detail.ClaimedAt)} (fence {detail.Fence})"));
        Row("Pull request", Markup.Escape(CliFormat.OrDash(job.PrUrl)));
        Row("Tokens", Markup.Escape(CliFormat.Tokens(job.Usage.Tokens)));
        Row("Cost", CliFormat.Cost(job.Usage.CostUsd));
        Row("Last error", Markup.Escape(CliFormat.OrDash(job.LastError)));
        Row("Created", CliFormat.Time(job.CreatedAt));
        Row("Updated", CliFormat.Time(job.UpdatedAt));
        AnsiConsole.Write(grid);

        if (detail.Actor.History.Count > 0)
        {
            var history = new Table().Title("History").AddColumns("AT", "FROM", "TO", "COMMAND", "ATTEMPT");
            foreach (var step in detail.Actor.History)
            {
                history.AddRow(CliFormat.Time(step.At), step.From.ToWire(), step.To.ToWire(), Markup.Escape(step.Command), step.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(history);
        }
    }

    /// <summary>A state's wire name, coloured by how it ended (or that it has not).</summary>
    public static string StateMarkup(JobState state) => state switch
    {
        JobState.Merged or JobState.PrOpened => $"[green]{state.ToWire()}[/]",
        JobState.Failed => $"[red]{state.ToWire()}[/]",
        JobState.Stopped or JobState.Closed => $"[grey]{state.ToWire()}[/]",
        JobState.WaitingForReply or JobState.WaitingForApproval => $"[yellow]{state.ToWire()}[/]",
        _ => $"[blue]{state.ToWire()}[/]",
    };
}
