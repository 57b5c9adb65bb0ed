namespace AgentMesh.GitHub.Rest;

/// <summary>Reads the <c>rel="next"</c> URL from GitHub's <c>Link</c> pagination header.</summary>
public static class LinkHeader
{
    /// <summary>The next page's URL, or null on the last page.</summary>
    public static Uri? NextPage(IEnumerable<string> linkHeaderValues)
    {
        ArgumentNullException.ThrowIfNull(linkHeaderValues);
        foreach (var value in linkHeaderValues)
        {
            foreach (var part in value.Split(','))
            {
                var sections = part.Split(';');
                if (sections.Length < 2 || !sections.Skip(1).Any(s => s.Trim() is "rel=\"next\"" or "rel=next"))
                {
                    continue;
                }
                var url = sections[0].Trim().TrimStart('<').TrimEnd('>');
                if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
                {
                    return uri;
                }
            }
        }
        return null;
    }
}
