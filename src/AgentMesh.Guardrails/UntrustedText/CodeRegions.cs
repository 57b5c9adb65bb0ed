namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>The ranges of a markdown text that GitHub shows literally (code spans, fenced and indented code blocks).</summary>
internal sealed class CodeRegions(IEnumerable<(int Start, int End)> regions)
{
    private readonly (int Start, int End)[] _regions = [.. regions.OrderBy(r => r.Start)];

    /// <summary>The end (exclusive) of the code region containing <paramref name="position"/>, or null when it is outside code.</summary>
    public int? EndOfRegionAt(int position)
    {
        // Few regions per comment: a linear scan is simpler than a search and fast enough.
        foreach (var (start, end) in _regions)
        {
            if (position >= start && position < end)
            {
                return end;
            }
        }
        return null;
    }
}
