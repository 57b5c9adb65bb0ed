namespace AgentMesh.Core.Jobs;

/// <summary>Review feedback a fix round addresses: what the fix agent is asked to do.</summary>
/// <param name="ReviewIds">The GitHub reviews it gathers (see <see cref="Commands.ReviewFeedback.ReviewId"/>).</param>
public sealed record ReviewFeedbackNote(string Author, string Text, DateTimeOffset At, IReadOnlyList<long>? ReviewIds = null)
{
    /// <summary>Whether feedback of <paramref name="reviewId"/> belongs to a review this note already gathers.</summary>
    public bool Includes(long? reviewId) => reviewId is { } id && ReviewIds is { } ids && ids.Contains(id);

    /// <summary>This note with more feedback added (a later part of a review, or another review waiting for the next round).</summary>
    public ReviewFeedbackNote Add(string author, string text, long? reviewId) =>
        this with
        {
            Text = author == Author ? $"{Text}\n\n{text}" : $"{Text}\n\n{author}: {text}",
            ReviewIds = reviewId is { } id && !Includes(id) ? [.. ReviewIds ?? [], id] : ReviewIds,
        };
}
