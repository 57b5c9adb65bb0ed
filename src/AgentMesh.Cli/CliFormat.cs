using System.Globalization;
using AgentMesh.Core.Jobs;

namespace AgentMesh.Cli;

/// <summary>How the CLI's tables show times, tokens and money: compact, invariant, UTC.</summary>
public static class CliFormat
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "-";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Cost(decimal usd) => usd.ToString("$0.00##", CultureInfo.InvariantCulture);

    public static string Tokens(TokenUsage tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return $"{Number(tokens.Input)} in / {Number(tokens.Output)} out / {Number(tokens.CacheRead + tokens.CacheWrite)} cache";
    }

    public static string OrDash(string? value) => string.IsNullOrEmpty(value) ? "-" : value;
}
