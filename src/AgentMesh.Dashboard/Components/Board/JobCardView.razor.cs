using AgentMesh.Dashboard.Jobs;
using Microsoft.AspNetCore.Components;

namespace AgentMesh.Dashboard.Components.Board;

/// <summary>One job on the board: repo#number, kind, attempt, elapsed time, tokens and cost.</summary>
public sealed partial class JobCardView
{
    [Parameter, EditorRequired]
    public JobCard Card { get; set; } = null!;

    /// <summary>The board's clock reading, so every card shows elapsed time from the same instant.</summary>
    [Parameter]
    public DateTimeOffset Now { get; set; }

    private string JobHref => $"jobs/{Uri.EscapeDataString(Card.Id)}";
}
