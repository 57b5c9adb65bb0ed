using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AgentMesh.Core.Jobs;
using AgentMesh.Server.Api.Jobs;

namespace AgentMesh.Cli;

/// <summary>
/// <c>agentmesh jobs logs &lt;id&gt; [--tail N] [--follow]</c>: prints a job's log, and with
/// <c>--follow</c> keeps printing new lines as the node streams them (<c>/api/jobs/{id}/logs/live</c>, fed by
/// the cluster's live log stream) until the job reaches a terminal state or the user presses Ctrl+C. With
/// <c>--json</c> each line is one JSON object (JSON Lines), so a script can read the stream as it comes.
/// </summary>
public static class JobLogsCommand
{
    private const int PageSize = JobHistoryEndpoints.MaxLogLimit;

    public static Command Create(AdminCommandOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var id = new Argument<string>("id") { Description = "The job's id." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the job finishes (Ctrl+C to stop watching)." };
        var tail = new Option<int?>("--tail") { Description = $"Start from the last N lines (1-{JobHistoryEndpoints.MaxLogLimit}) instead of the beginning." };
        var command = new Command("logs", "Print a job's log; --follow keeps printing until the job finishes.") { id, follow, tail };
        options.SetAction(command, context => RunAsync(
            context,
            context.ParseResult.GetValue(id)!,
            context.ParseResult.GetValue(follow),
            context.ParseResult.GetValue(tail)));
        return command;
    }

    private static async Task RunAsync(AdminCommandContext context, string jobId, bool follow, int? tail)
    {
        var path = $"{JobsCommand.JobPath(jobId)}/logs";
        long after = 0;
        JobLogPage page;
        if (tail is { } count)
        {
            page = await ReadAsync(context, $"{path}?tail={count}").ConfigureAwait(false);
            Print(context, page);
            after = page.Next;
            if (!follow || page.Terminal)
            {
                await FinishAsync(context, page.JobId, page.State.ToWire(), follow).ConfigureAwait(false);
                return;
            }
        }

        if (follow)
        {
            var state = await FollowAsync(context, path, after).ConfigureAwait(false);
            await FinishAsync(context, jobId, state, follow).ConfigureAwait(false);
            return;
        }
        do
        {
            page = await ReadAsync(context, FormattableString.Invariant($"{path}?after={after}&limit={PageSize}")).ConfigureAwait(false);
            Print(context, page);
            after = page.Next;
        }
        while (page.Lines.Count == PageSize);
    }

    /// <summary>Prints each streamed line until the node says the job ended; returns its final state.</summary>
    private static async Task<string> FollowAsync(AdminCommandContext context, string path, long after)
    {
        await foreach (var (name, data) in context.Client.EventsAsync(FormattableString.Invariant($"{path}/live?after={after}"), context.CancellationToken).ConfigureAwait(false))
        {
            if (name == "end")
            {
                return JsonSerializer.Deserialize<StreamEnd>(data, StreamJson)?.State ?? "finished";
            }
            if (name == "line" && JsonSerializer.Deserialize<JobLogLine>(data, StreamJson) is { } line)
            {
                Print(context, [line]);
            }
        }
        throw new AdminApiException($"AgentMesh at {context.Client.Server} closed the log stream before the job ended; run the command again to go on.");
    }

    private static readonly JsonSerializerOptions StreamJson = new(JsonSerializerDefaults.Web);

    private sealed record StreamEnd(string State);

    private static async Task<JobLogPage> ReadAsync(AdminCommandContext context, string path) =>
        CliJson.Read<JobLogPage>(await context.Client.GetAsync(path, context.CancellationToken).ConfigureAwait(false));

    private static void Print(AdminCommandContext context, JobLogPage page) => Print(context, page.Lines);

    private static void Print(AdminCommandContext context, IEnumerable<JobLogLine> lines)
    {
        foreach (var line in lines)
        {
            Console.Out.WriteLine(context.Json
                ? CliJson.Write(line)
                : string.Create(CultureInfo.InvariantCulture, $"{CliFormat.Time(line.At)} {line.Stream,-6} {line.Text}"));
        }
        Console.Out.Flush();
    }

    private static async Task FinishAsync(AdminCommandContext context, string jobId, string state, bool follow)
    {
        // On stderr, so stdout stays the log alone.
        if (follow && !context.Json)
        {
            await Console.Error.WriteLineAsync($"agentmesh: job {jobId} is {state}.").ConfigureAwait(false);
        }
    }
}
