using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>
/// Uses a real markdown parser (Markdig) for what regular expressions get wrong: where code is (so literal
/// markup stays), and the alt text of images and titles of links, including reference-style ones.
/// </summary>
internal static partial class MarkdownHiddenParts
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    /// <summary>Parses <paramref name="text"/> once; null when Markdig refuses it (it throws on nesting past its depth limit).</summary>
    public static MarkdownDocument? TryParse(string text)
    {
        try
        {
            return Markdown.Parse(text, Pipeline);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The literal (code) regions of the document.</summary>
    public static CodeRegions Code(MarkdownDocument document)
    {
        var blocks = document.Descendants<CodeBlock>().Select(b => (b.Span.Start, b.Span.End + 1));
        var inlines = document.Descendants<CodeInline>().Select(c => (c.Span.Start, c.Span.End + 1));
        return new CodeRegions(blocks.Concat(inlines));
    }

    /// <summary>Adds image alt texts and link titles of <paramref name="document"/> to <paramref name="removals"/>.</summary>
    public static void Scan(string text, MarkdownDocument document, TextRemovals removals)
    {
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.IsAutoLink || link.Span.IsEmpty)
            {
                continue;
            }
            if (link.IsImage && link.FirstChild is { } first && link.LastChild is { } last && !first.Span.IsEmpty && !last.Span.IsEmpty)
            {
                removals.Add(first.Span.Start, last.Span.End + 1, RemovedContentKind.ImageAltText);
            }
            if (!string.IsNullOrEmpty(link.Title))
            {
                RemoveTitle(text, link.Span.Start, link.Span.End + 1, removals);
            }
        }
        var used = document.Descendants<LinkInline>().Select(l => l.Reference).OfType<LinkReferenceDefinition>().ToHashSet();
        foreach (var definition in document.Descendants<LinkReferenceDefinition>())
        {
            if (definition.Span.IsEmpty)
            {
                continue;
            }
            if (!used.Contains(definition))
            {
                removals.Add(definition.Span.Start, Math.Min(text.Length, definition.Span.End + 1), RemovedContentKind.UnusedLinkDefinition);
            }
            else if (!string.IsNullOrEmpty(definition.Title))
            {
                RemoveTitle(text, definition.Span.Start, Math.Min(text.Length, definition.Span.End + 1), removals);
            }
        }
    }

    /// <summary>The title is the last quoted (or parenthesised) part of the link's destination: found from the end of its source.</summary>
    private static void RemoveTitle(string text, int start, int end, TextRemovals removals)
    {
        var source = text[start..end];
        var title = TrailingTitle().Match(source);
        if (title.Success)
        {
            var group = title.Groups["title"];
            removals.Add(start + group.Index, start + group.Index + group.Length, RemovedContentKind.Title);
        }
    }

    [GeneratedRegex(@"(?<title>\s+(?:""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))\s*\)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingTitle();
}
