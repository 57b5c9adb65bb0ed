using System.CommandLine;
using System.Globalization;
using AgentMesh.Core.Jobs;
using AgentMesh.Server.Api.Jobs;

namespace AgentMesh.Cli;

/// <summary>
/// <c>agentmesh jobs logs &lt;id&gt; [--tail N] [--follow]</c>: prints a job's log, and with
/// <c>--follow</c> keeps polling for new lines until the job reaches a terminal state or the user
/// presses Ctrl+C. With <c>--json</c> each line is one JSON object (JSON Lines), so a script can
/// read the stream as it comes.
/// </summary>
public static class JobLogsCommand
{
    /// <summary>How often <c>--follow</c> asks for new lines when the last page was not full.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

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
                await FinishAsync(context, page, follow).ConfigureAwait(false);
                return;
            }
        }

        while (true)
        {
            page = await ReadAsync(context, FormattableString.Invariant($"{path}?after={after}&limit={PageSize}")).ConfigureAwait(false);
            Print(context, page);
            after = page.Next;
            if (page.Lines.Count == PageSize)
            {
                continue; // more lines are waiting: read them before deciding anything
            }
            // The server reads the state before the lines, so a terminal page holds the log's end.
            if (!follow || page.Terminal)
            {
                break;
            }
            await Task.Delay(PollInterval, context.CancellationToken).ConfigureAwait(false);
        }
        await FinishAsync(context, page, follow).ConfigureAwait(false);
    }

    private static async Task<JobLogPage> ReadAsync(AdminCommandContext context, string path) =>
        CliJson.Read<JobLogPage>(await context.Client.GetAsync(path, context.CancellationToken).ConfigureAwait(false));

    private static void Print(AdminCommandContext context, JobLogPage page)
    {
        foreach (var line in page.Lines)
        {
            Console.Out.WriteLine(context.Json
                ? CliJson.Write(line)
                : string.Create(CultureInfo.InvariantCulture, $"{CliFormat.Time(line.At)} {line.Stream,-6} {line.Text}"));
        }
        Console.Out.Flush();
    }

    private static async Task FinishAsync(AdminCommandContext context, JobLogPage page, bool follow)
    {
        // On stderr, so stdout stays the log alone.
        if (follow && !context.Json)
        {
            await Console.Error.WriteLineAsync($"agentmesh: job {page.JobId} is {page.State.ToWire()}.").ConfigureAwait(false);
        }
    }
}
