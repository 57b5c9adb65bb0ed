using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AgentMesh.Core.Jobs;
using AgentMesh.Server.Api.Repos;
using Spectre.Console;

namespace AgentMesh.Cli;

/// <summary><c>agentmesh repos list|show|set</c>: which repositories a node works on, and how.</summary>
public static class ReposCommand
{
    public static Command Create()
    {
        var options = new AdminCommandOptions();
        var repos = new Command("repos", "List, show and change repository configurations on a running node.");
        options.AddTo(repos);
        repos.Subcommands.Add(CreateList(options));
        repos.Subcommands.Add(CreateShow(options));
        repos.Subcommands.Add(CreateSet(options));
        return repos;
    }

    private static Command CreateList(AdminCommandOptions options)
    {
        var command = new Command("list", "List configured repositories.");
        options.SetAction(command, async context =>
        {
            var body = await context.Client.GetAsync("api/repos", context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                Console.Out.WriteLine(body);
                return;
            }
            var repos = CliJson.Read<List<RepoView>>(body);
            if (repos.Count == 0)
            {
                AnsiConsole.MarkupLine("[grey]No repositories configured. Add one with: agentmesh repos set owner/name --enabled true[/]");
                return;
            }
            var table = new Table().AddColumns("REPO", "ENABLED", "AUTO-SOLVE", "TRIGGER LABEL", "ALLOWED USERS", "PROFILE", "MAX JOBS", "HOURLY BUDGET", "DAILY BUDGET");
            foreach (var repo in repos)
            {
                var c = repo.Config;
                table.AddRow(
                    Markup.Escape(repo.Repo),
                    c.Enabled ? "[green]yes[/]" : "[grey]no[/]",
                    c.AutoSolve ? "yes" : "no",
                    Markup.Escape(CliFormat.OrDash(c.TriggerLabel)),
                    Markup.Escape(Users(c.AllowedUsers)),
                    Markup.Escape(c.AgentProfile ?? "(node default)"),
                    c.MaxConcurrentJobs.ToString(CultureInfo.InvariantCulture),
                    Budget(c.HourlyTokenBudget),
                    Budget(c.DailyTokenBudget));
            }
            AnsiConsole.Write(table);
        });
        return command;
    }

    private static Command CreateShow(AdminCommandOptions options)
    {
        var name = RepoArgument();
        var command = new Command("show", "Show one repository's configuration and token usage.") { name };
        options.SetAction(command, async context =>
        {
            var body = await context.Client.GetAsync(RepoPath(context.ParseResult.GetValue(name)!), context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                Console.Out.WriteLine(body);
                return;
            }
            Render(CliJson.Read<RepoView>(body));
        });
        return command;
    }

    private static Command CreateSet(AdminCommandOptions options)
    {
        var name = RepoArgument();
        var enabled = new Option<bool?>("--enabled") { Description = "Work on this repository at all (true|false)." };
        var autoSolve = new Option<bool?>("--auto-solve") { Description = "Solve every newly opened issue (true|false)." };
        var triggerLabel = new Option<string?>("--trigger-label") { Description = "The label that triggers a job; \"\" turns the label trigger off." };
        var allowedUsers = new Option<string?>("--allowed-users") { Description = "Logins allowed to trigger work, comma-separated; \"\" allows anyone with write permission." };
        var maxJobs = new Option<int?>("--max-concurrent-jobs") { Description = "Jobs of this repository running at once (1-100)." };
        var hourly = new Option<long?>("--hourly-token-budget") { Description = "Tokens per clock hour; 0 for unlimited." };
        var daily = new Option<long?>("--daily-token-budget") { Description = "Tokens per UTC day; 0 for unlimited." };
        var profile = new Option<string?>("--agent-profile") { Description = "The agent profile this repository's jobs run with." };
        var command = new Command("set", "Change settings of a repository (others keep their values; a new repository starts from the defaults).")
        {
            name, enabled, autoSolve, triggerLabel, allowedUsers, maxJobs, hourly, daily, profile,
        };
        options.SetAction(command, async context =>
        {
            var p = context.ParseResult;
            var patch = new RepoConfigPatch(
                p.GetValue(enabled),
                p.GetValue(autoSolve),
                p.GetValue(triggerLabel),
                p.GetValue(allowedUsers) is { } users ? RepoConfigPatch.ParseList(users) : null,
                p.GetValue(maxJobs),
                p.GetValue(hourly),
                p.GetValue(daily),
                p.GetValue(profile));
            var path = RepoPath(p.GetValue(name)!);

            // Read, change, write back: the PUT replaces the whole configuration.
            JsonObject current;
            try
            {
                var existing = JsonNode.Parse(await context.Client.GetAsync(path, context.CancellationToken).ConfigureAwait(false));
                current = existing?["config"] as JsonObject ?? throw new AdminApiException("the server's answer has no configuration.");
            }
            catch (AdminApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                current = []; // not configured yet: the server fills in every default
            }
            var body = await context.Client.SendAsync(HttpMethod.Put, path, patch.ApplyTo(current).ToJsonString(), context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                Console.Out.WriteLine(body);
                return;
            }
            Render(CliJson.Read<RepoView>(body));
        });
        return command;
    }

    private static Argument<string> RepoArgument()
    {
        var name = new Argument<string>("repo") { Description = "The repository, owner/name." };
        name.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!RepoName.IsValid(value))
            {
                result.AddError($"The repository must be owner/name (was '{value}').");
            }
        });
        return name;
    }

    private static string RepoPath(string repo)
    {
        var slash = repo.IndexOf('/', StringComparison.Ordinal);
        return $"api/repos/{Uri.EscapeDataString(repo[..slash])}/{Uri.EscapeDataString(repo[(slash + 1)..])}";
    }

    private static void Render(RepoView repo)
    {
        var c = repo.Config;
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string value) => grid.AddRow($"[bold]{name}[/]", Markup.Escape(value));
        Row("Repo", repo.Repo);
        Row("Enabled", c.Enabled ? "yes" : "no");
        Row("Auto-solve", c.AutoSolve ? "yes" : "no");
        Row("Trigger label", CliFormat.OrDash(c.TriggerLabel));
        Row("Trigger mention", CliFormat.OrDash(c.TriggerMention));
        Row("Include labels", c.IncludeLabels.Count == 0 ? "-" : string.Join(", ", c.IncludeLabels));
        Row("Exclude labels", c.ExcludeLabels.Count == 0 ? "-" : string.Join(", ", c.ExcludeLabels));
        Row("Allowed users", Users(c.AllowedUsers));
        Row("Agent profile", c.AgentProfile ?? "(node default)");
        Row("Max concurrent jobs", c.MaxConcurrentJobs.ToString(CultureInfo.InvariantCulture));
        Row("Max fix rounds", c.MaxFixRounds.ToString(CultureInfo.InvariantCulture));
        Row("Hourly token budget", Budget(c.HourlyTokenBudget));
        Row("Daily token budget", Budget(c.DailyTokenBudget));
        Row("Tokens, last hour window", repo.Ledger.Hourly.Count == 0 ? "-" : $"{CliFormat.Number(repo.Ledger.Hourly[^1].Tokens)} since {CliFormat.Time(repo.Ledger.Hourly[^1].Start)}");
        Row("Tokens, last day window", repo.Ledger.Daily.Count == 0 ? "-" : $"{CliFormat.Number(repo.Ledger.Daily[^1].Tokens)} since {CliFormat.Time(repo.Ledger.Daily[^1].Start)}");
        AnsiConsole.Write(grid);
    }

    private static string Users(IReadOnlyList<string> users) =>
        users.Count == 0 ? "(anyone with write permission)" : string.Join(", ", users);

    private static string Budget(long? tokens) => tokens is { } value ? CliFormat.Number(value) : "unlimited";
}
