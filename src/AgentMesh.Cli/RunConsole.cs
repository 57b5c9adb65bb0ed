using System.Globalization;
using AgentMesh.Storage.Abstractions;
using Spectre.Console;

namespace AgentMesh.Cli;

/// <summary>
/// What <c>agentmesh run</c> shows: the job's log lines as they are written, a status line (a
/// spinner on a terminal; a printed line per change when the output is a pipe or file), and its
/// messages. With <c>--json</c> it shows nothing on stdout, so the final summary is the only output.
/// Problems always go to stderr. Not thread-safe: one task writes at a time.
/// </summary>
public sealed class RunConsole
{
    // Spectre wraps at the console's width; a piped log line should never be wrapped.
    private const int PipeWidth = 10_000;

    private string? _lastStatus;

    public RunConsole(bool json)
    {
        Json = json;
        if (Console.IsOutputRedirected)
        {
            // A pipe or a file gets plain, unwrapped lines a script can grep.
            AnsiConsole.Profile.Width = PipeWidth;
            AnsiConsole.Profile.Capabilities.Ansi = false;
        }
    }

    /// <summary>True with <c>--json</c>: stdout holds the final summary and nothing else.</summary>
    public bool Json { get; }

    /// <summary>Prints a line of markup (already escaped where it holds outside text).</summary>
    public void Print(string markup)
    {
        if (!Json)
        {
            AnsiConsole.MarkupLine(markup);
        }
    }

    /// <summary>Prints <c>agentmesh: message</c> on stderr.</summary>
    public static void Problem(string message) => Console.Error.WriteLine($"agentmesh: {message}");

    /// <summary>Prints one log line: time, stream (dimmed) and text, escaped so log text can never be read as markup.</summary>
    public void Line(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var time = line.At.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        Print($"[dim]{time} {Markup.Escape(line.Stream.PadRight(11))}[/] {Markup.Escape(line.Text)}");
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a status line it updates through the callback it is given
    /// (plain text, escaped here).
    /// </summary>
    public async Task<T> WithStatusAsync<T>(string initial, Func<Action<string>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Json)
        {
            return await work(_ => { }).ConfigureAwait(false);
        }
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // A pipe or a file gets each new status once, as a line of its own.
            Status(initial);
            return await work(Status).ConfigureAwait(false);
        }
        return await AnsiConsole.Status()
            .Spinner(Spinner.Known.Dots)
            .StartAsync(Markup.Escape(initial), context => work(status => context.Status(Markup.Escape(status))))
            .ConfigureAwait(false);
    }

    private void Status(string status)
    {
        if (status != _lastStatus)
        {
            _lastStatus = status;
            Print($"[blue]status:[/] {Markup.Escape(status)}");
        }
    }
}
