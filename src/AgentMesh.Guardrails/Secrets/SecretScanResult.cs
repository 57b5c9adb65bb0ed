using System.Globalization;
using System.Text;

namespace AgentMesh.Guardrails.Secrets;

/// <summary>The outcome of scanning a run's diff before it is pushed.</summary>
/// <param name="Findings">Credentials found, in diff order; empty when clean.</param>
/// <param name="UnscannedBinaryFiles">Binary files the diff does not show (reported, not blocking).</param>
public sealed record SecretScanResult(IReadOnlyList<SecretFinding> Findings, IReadOnlyList<string> UnscannedBinaryFiles)
{
    /// <summary>True when nothing was found: the push may go ahead.</summary>
    public bool IsClean => Findings.Count == 0;

    /// <summary>The issue comment for a blocked push: each finding's file, line and kind, never the value.</summary>
    public string BlockedPushComment()
    {
        var text = new StringBuilder("AgentMesh did not push this run: its changes contain what look like credentials.\n\n");
        foreach (var finding in Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"- `{finding.Path}` line {finding.Line}: {finding.Description}\n");
        }
        text.Append("\nIf a credential is real, revoke it: the branch was not pushed, but the agent saw it. "
            + "Remove it from the files and re-run the job, or stop the job.");
        return text.ToString();
    }
}
