namespace AgentMesh.GitHub.Rest;

/// <summary>
/// The body of <c>POST /repos/{o}/{r}/pulls/{n}/reviews</c> with inline comments placed by line and side,
/// which Octokit's <c>PullRequestReviewCreate</c> cannot express. Serialized by Octokit (snake_case, nulls left out).
/// </summary>
/// <param name="Event"><c>COMMENT</c>, <c>APPROVE</c> or <c>REQUEST_CHANGES</c>.</param>
/// <param name="Body">The review's summary text (GitHub requires one for <c>COMMENT</c> and <c>REQUEST_CHANGES</c>).</param>
/// <param name="Comments">The inline comments.</param>
/// <param name="CommitId">The commit the comments refer to; GitHub takes the head when null.</param>
public sealed record NewLineReview(string Event, string? Body = null, IReadOnlyList<NewLineReviewComment>? Comments = null, string? CommitId = null);

/// <summary>One inline comment of a <see cref="NewLineReview"/>.</summary>
/// <param name="Path">The file, relative to the repository root.</param>
/// <param name="Line">The line in the file (the last line of a range).</param>
/// <param name="Body">The comment.</param>
/// <param name="Side"><c>RIGHT</c> (the new file, default) or <c>LEFT</c> (the old one, for deleted lines).</param>
/// <param name="StartLine">The first line of a multi-line comment.</param>
/// <param name="StartSide">The side of <paramref name="StartLine"/>.</param>
public sealed record NewLineReviewComment(string Path, int Line, string Body, string Side = "RIGHT", int? StartLine = null, string? StartSide = null);
