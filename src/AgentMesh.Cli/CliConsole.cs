using Spectre.Console;

namespace AgentMesh.Cli;

/// <summary>
/// The console the admin commands draw tables on. When stdout is a pipe or a file (a script, a
/// test, <c>| grep</c>), colours and terminal tricks are off and lines are wide, so the text is
/// plain and a job id is never wrapped across lines.
/// </summary>
public static class CliConsole
{
    /// <summary>Line width used when stdout is not a terminal.</summary>
    public const int RedirectedWidth = 240;

    public static void UsePlainOutputWhenRedirected()
    {
        if (!Console.IsOutputRedirected)
        {
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        console.Profile.Width = RedirectedWidth;
        AnsiConsole.Console = console;
    }
}
