namespace AgentMesh.GitHub.Rest;

/// <summary>
/// The hidden HTML comment that marks a status comment as owned by one job, so a retried job finds and
/// edits its comment instead of posting another.
/// </summary>
public static class StatusCommentMarker
{
    /// <summary><c>&lt;!-- agentmesh:job=ID --&gt;</c>.</summary>
    public static string For(string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        if (jobId.Contains("--", StringComparison.Ordinal) || jobId.Contains('>', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A job id in a marker must not contain '--' or '>': '{jobId}'.", nameof(jobId));
        }
        return $"<!-- agentmesh:job={jobId} -->";
    }

    /// <summary>The body with the marker on its first line (replacing any marker the body already had).</summary>
    public static string Apply(string jobId, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var marker = For(jobId);
        return body.StartsWith(marker, StringComparison.Ordinal) ? body : marker + "\n" + body;
    }
}
