namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>
/// Ranges of a text to cut out, collected from several scanners and applied once. Overlapping ranges merge, so
/// a title inside a hidden element is simply part of the element's removal and counted as the element only.
/// </summary>
internal sealed class TextRemovals
{
    private readonly List<(int Start, int End, RemovedContentKind Kind)> _ranges = [];

    /// <summary>Marks [<paramref name="start"/>, <paramref name="end"/>) for removal.</summary>
    public void Add(int start, int end, RemovedContentKind kind)
    {
        if (end > start)
        {
            _ranges.Add((start, end, kind));
        }
    }

    /// <summary>The text without the marked ranges, and the count of removals by kind (ranges swallowed by a wider one not counted).</summary>
    public string Apply(string text, Dictionary<RemovedContentKind, int> counts)
    {
        if (_ranges.Count == 0)
        {
            return text;
        }
        // Widest first among equal starts, so a range that contains another is the one counted.
        var ordered = _ranges.OrderBy(r => r.Start).ThenByDescending(r => r.End).ToList();
        var builder = new System.Text.StringBuilder(text.Length);
        var position = 0;
        foreach (var (start, end, kind) in ordered)
        {
            if (end <= position)
            {
                continue;
            }
            if (start >= position)
            {
                builder.Append(text, position, start - position);
                counts[kind] = counts.GetValueOrDefault(kind) + 1;
            }
            position = end;
        }
        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }
}
