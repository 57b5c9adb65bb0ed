namespace AgentMesh.Agents.Events;

/// <summary>Recognises provider failures (overloaded, rate limited, upstream down) in what CLIs report.</summary>
public static class ProviderErrors
{
    private static readonly int[] ProviderStatuses = [429, 500, 502, 503, 504, 529];

    private static readonly string[] ProviderPhrases =
    [
        "overloaded", "rate limit", "rate_limit", "429", "529", "503", "502",
        "service unavailable", "resource_exhausted", "quota", "too many requests", "api_error",
    ];

    /// <summary>True when an HTTP status or an error message says the provider, not the task, failed.</summary>
    public static bool IsProviderError(int? httpStatus, string? message) =>
        (httpStatus is { } status && ProviderStatuses.Contains(status)) ||
        (message is not null && ProviderPhrases.Any(p => message.Contains(p, StringComparison.OrdinalIgnoreCase)));
}
