using System.Globalization;

namespace AgentMesh.Dashboard.Components;

/// <summary>How numbers read on every page: invariant culture, short forms.</summary>
public static class Formats
{
    public static string Duration(TimeSpan elapsed) => elapsed switch
    {
        { TotalSeconds: < 0 } => "0s",
        { TotalMinutes: < 1 } => $"{(int)elapsed.TotalSeconds}s",
        { TotalHours: < 1 } => $"{(int)elapsed.TotalMinutes}m {elapsed.Seconds}s",
        { TotalDays: < 1 } => $"{(int)elapsed.TotalHours}h {elapsed.Minutes}m",
        _ => $"{(int)elapsed.TotalDays}d {elapsed.Hours}h",
    };

    public static string Tokens(long tokens) => tokens.ToString("N0", CultureInfo.InvariantCulture);

    public static string Cost(decimal usd) => "$" + usd.ToString("0.00##", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string StateLabel(AgentMesh.Core.Jobs.JobState state) => AgentMesh.Core.Jobs.JobStateNames.ToWire(state).Replace('_', ' ');
}
