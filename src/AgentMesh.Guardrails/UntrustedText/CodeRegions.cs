namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>The ranges of a markdown text that GitHub shows literally (code spans, fenced and indented code blocks).</summary>
internal sealed class CodeRegions(IEnumerable<(int Start, int End)> regions)
{
    // Code spans and blocks never overlap, so sorted by start they are sorted by end too.
    private readonly (int Start, int End)[] _regions = [.. regions.OrderBy(r => r.Start)];

    /// <summary>The end (exclusive) of the code region containing <paramref name="position"/>, or null when it is outside code.</summary>
    public int? EndOfRegionAt(int position)
    {
        // Binary search: a comment full of code spans and '<' would make a linear scan quadratic.
        int low = 0, high = _regions.Length - 1, candidate = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (_regions[middle].Start <= position)
            {
                candidate = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return candidate >= 0 && position < _regions[candidate].End ? _regions[candidate].End : null;
    }
}
