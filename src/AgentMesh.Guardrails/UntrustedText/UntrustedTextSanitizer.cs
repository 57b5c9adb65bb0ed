namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>
/// Cleans text that anyone on GitHub can write (issue and PR bodies, comments, review comments) before an agent
/// reads it: what a maintainer sees on the rendered page is what the agent gets. Removes invisible characters,
/// HTML comments, hidden HTML elements with their content, image alt text and link or element titles. Code
/// spans and blocks keep their markup, because GitHub shows it literally; only invisible characters are removed
/// there too. Stateless and thread-safe.
/// </summary>
public sealed class UntrustedTextSanitizer
{
    /// <summary>Returns <paramref name="text"/> cleaned, with counts of what was removed.</summary>
    public SanitizedText Sanitize(string? text)
    {
        var counts = new Dictionary<RemovedContentKind, int>();
        if (string.IsNullOrEmpty(text))
        {
            return new SanitizedText("", counts);
        }
        // Invisible characters first: they could otherwise split "<!--" or a tag name so the scanners miss it.
        var visible = InvisibleCharacters.Strip(text, out var invisible);
        if (invisible > 0)
        {
            counts[RemovedContentKind.InvisibleCharacter] = invisible;
        }
        if (MarkdownHiddenParts.TryParse(visible) is not { } document)
        {
            return new SanitizedText("", new Dictionary<RemovedContentKind, int> { [RemovedContentKind.Unparsable] = 1 });
        }
        var removals = new TextRemovals();
        HiddenHtmlScanner.Scan(visible, MarkdownHiddenParts.Code(document), removals);
        MarkdownHiddenParts.Scan(visible, document, removals);
        return new SanitizedText(removals.Apply(visible, counts), counts);
    }
}
