using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentMesh.Server.Api;

/// <summary>
/// Parses numeric query parameters by hand (they bind as strings), so a bad value is a 400 whose
/// message names the parameter and its allowed range instead of a bare binding failure.
/// </summary>
public static class QueryParameters
{
    public static bool TryInt(string? raw, string name, int fallback, int min, int max, out int value, out ProblemHttpResult? problem)
    {
        var parsed = TryLong(raw, name, fallback, min, max, out var wide, out problem);
        value = (int)wide;
        return parsed;
    }

    public static bool TryLong(string? raw, string name, long fallback, long min, long max, out long value, out ProblemHttpResult? problem)
    {
        problem = null;
        value = fallback;
        if (raw is null)
        {
            return true;
        }
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }
        problem = ApiProblems.BadRequest($"{name} must be a whole number from {min} to {max} (was '{raw}').");
        return false;
    }
}
