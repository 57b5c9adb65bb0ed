using AgentMesh.Dashboard.Jobs;
using Microsoft.AspNetCore.Components;

namespace AgentMesh.Dashboard.Components.Jobs;

/// <summary>
/// The lines of one hundred sequence numbers (<see cref="JobLogView.BlockSize"/>), a run of the page's list. Stored
/// lines never change, so a block renders again only when its run did (the last block, while lines arrive; the
/// first, when the page lets its oldest lines go): a new batch costs the node the last block, not the whole log.
/// </summary>
public sealed partial class LogLineBlock
{
    private (IReadOnlyList<LogLineView>? Source, int Count, long First, long Last) _rendered;

    /// <summary>The lines the block is a run of (read at render time, on the renderer's thread).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<LogLineView> Source { get; set; } = [];

    [Parameter, EditorRequired]
    public int Start { get; set; }

    [Parameter, EditorRequired]
    public int Count { get; set; }

    protected override bool ShouldRender() => Current() != _rendered;

    protected override void OnAfterRender(bool firstRender) => _rendered = Current();

    // A search gives a new list each time (all blocks re-render); the page's own list stays the same object, so then
    // the run's count and ends tell whether it changed.
    private (IReadOnlyList<LogLineView>?, int, long, long) Current() =>
        Count == 0 ? (Source, 0, 0, 0) : (Source, Count, Source[Start].Sequence, Source[Start + Count - 1].Sequence);
}
