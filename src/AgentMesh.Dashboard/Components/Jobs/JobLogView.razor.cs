using AgentMesh.Dashboard.Jobs;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace AgentMesh.Dashboard.Components.Jobs;

/// <summary>
/// A job's log on its page: the lines the search leaves, following the end while the reader is there
/// (dashboard.js, in the browser). New lines re-render this component only, not the page around it (its
/// controls, history and audit), which is most of what a batch costs the node with many pages open.
/// </summary>
public sealed partial class JobLogView
{
    private ElementReference _element;
    private bool _attached;

    /// <summary>The page's lines, in sequence order (the page owns the list and adds to it).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<LogLineView> Lines { get; set; } = [];

    /// <summary>Text the shown lines must hold; the log stops following while a search is on.</summary>
    [Parameter]
    public string? Search { get; set; }

    [Inject] private IJSRuntime JS { get; set; } = null!;

    /// <summary>Sequence numbers per <see cref="LogLineBlock"/>.</summary>
    public const int BlockSize = 100;

    // The page's own list when no search is on (no copy per batch); the matches otherwise.
    private IReadOnlyList<LogLineView> Shown => string.IsNullOrWhiteSpace(Search) ? Lines : [.. Lines.Where(l => l.Matches(Search))];

    private long LastSequence => Lines.Count == 0 ? 0 : Lines[^1].Sequence;

    // A search shows a filtered view: following the log's end would pull the reader off their match.
    private string Searching => string.IsNullOrWhiteSpace(Search) ? "false" : "true";

    /// <summary>
    /// The shown lines in runs of <see cref="BlockSize"/> sequence numbers. A block is keyed by its number, so lines
    /// arriving or the oldest going re-render the blocks at the ends only.
    /// </summary>
    private static IEnumerable<(long Number, IReadOnlyList<LogLineView> Source, int Start, int Count)> Blocks(IReadOnlyList<LogLineView> shown)
    {
        var start = 0;
        for (var i = 1; i <= shown.Count; i++)
        {
            if (i == shown.Count || shown[i].Sequence / BlockSize != shown[start].Sequence / BlockSize)
            {
                yield return (shown[start].Sequence / BlockSize, shown, start, i - start);
                start = i;
            }
        }
    }

    /// <summary>The page added lines: show them (on the renderer's thread).</summary>
    public void LinesAdded() => StateHasChanged();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!_attached)
        {
            // Once: from then on the browser follows the end by itself (dashboard.js).
            _attached = true;
            await JS.InvokeVoidAsync("agentMeshLog.attach", _element);
        }
    }
}
