using System.Text.RegularExpressions;

namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>
/// Finds the HTML in markdown that a reader of the rendered page never sees: comments, hidden elements with
/// everything inside them, and <c>alt</c>/<c>title</c> attributes. Markup inside code spans and code blocks is
/// shown literally on GitHub, so a tag or comment that starts there is left alone.
/// </summary>
internal static partial class HiddenHtmlScanner
{
    /// <summary>Elements whose content is never rendered, whatever their attributes.</summary>
    private static readonly HashSet<string> NeverRendered = new(StringComparer.OrdinalIgnoreCase)
    {
        "template", "script", "style", "noscript", "noembed", "noframes", "xmp",
    };

    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    };

    /// <summary>Adds to <paramref name="removals"/> every hidden piece of <paramref name="text"/> outside <paramref name="code"/>.</summary>
    public static void Scan(string text, CodeRegions code, TextRemovals removals)
    {
        var i = 0;
        while (i < text.Length)
        {
            var next = text.IndexOf('<', i);
            if (next < 0)
            {
                return;
            }
            if (code.EndOfRegionAt(next) is { } codeEnd)
            {
                i = codeEnd;
                continue;
            }
            i = ScanAt(text, next, removals);
        }
    }

    /// <summary>Handles the '&lt;' at <paramref name="start"/>; returns where scanning continues.</summary>
    private static int ScanAt(string text, int start, TextRemovals removals)
    {
        if (string.CompareOrdinal(text, start, "<!--", 0, 4) == 0)
        {
            var end = CommentEnd(text, start);
            removals.Add(start, end, RemovedContentKind.HtmlComment);
            return end;
        }
        var tag = OpeningTag().Match(text, start);
        if (!tag.Success)
        {
            return start + 1;
        }
        var name = tag.Groups["name"].Value;
        var attributes = Attribute().Matches(tag.Groups["attrs"].Value);
        if (NeverRendered.Contains(name) || attributes.Any(IsHiding))
        {
            var end = tag.Groups["selfclose"].Success || VoidElements.Contains(name)
                ? tag.Index + tag.Length
                : ElementEnd(text, name, tag.Index + tag.Length);
            removals.Add(start, end, RemovedContentKind.HiddenHtml);
            return end;
        }
        var attrsOffset = tag.Groups["attrs"].Index;
        foreach (Match attribute in attributes)
        {
            var attributeName = attribute.Groups["name"].Value;
            var kind = attributeName.Equals("alt", StringComparison.OrdinalIgnoreCase) ? RemovedContentKind.ImageAltText
                : attributeName.Equals("title", StringComparison.OrdinalIgnoreCase) ? RemovedContentKind.Title
                : (RemovedContentKind?)null;
            if (kind is { } k)
            {
                removals.Add(attrsOffset + attribute.Index, attrsOffset + attribute.Index + attribute.Length, k);
            }
        }
        // Continue inside the element: a visible <div> may hold a hidden one.
        return tag.Index + tag.Length;
    }

    /// <summary>Where a comment starting at <paramref name="start"/> ends; an unclosed comment hides the rest of the text, as it does on GitHub.</summary>
    private static int CommentEnd(string text, int start)
    {
        var afterOpen = start + 4;
        // "<!-->" and "<!--->" are complete (empty) comments in HTML.
        if (afterOpen < text.Length && text[afterOpen] == '>')
        {
            return afterOpen + 1;
        }
        if (string.CompareOrdinal(text, afterOpen, "->", 0, 2) == 0)
        {
            return afterOpen + 2;
        }
        var close = text.IndexOf("-->", afterOpen, StringComparison.Ordinal);
        return close < 0 ? text.Length : close + 3;
    }

    /// <summary>The end of the element named <paramref name="name"/> whose content starts at <paramref name="from"/>, counting nested elements of the same name; unclosed runs to the end of the text (a browser hides it all).</summary>
    private static int ElementEnd(string text, string name, int from)
    {
        var depth = 1;
        var pattern = new Regex($@"<(?<close>/)?{Regex.Escape(name)}(?=[\s/>])[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        for (var match = pattern.Match(text, from); match.Success; match = match.NextMatch())
        {
            depth += match.Groups["close"].Success ? -1 : match.Value.EndsWith("/>", StringComparison.Ordinal) ? 0 : 1;
            if (depth == 0)
            {
                return match.Index + match.Length;
            }
        }
        return text.Length;
    }

    private static bool IsHiding(Match attribute)
    {
        var name = attribute.Groups["name"].Value;
        if (name.Equals("hidden", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return name.Equals("style", StringComparison.OrdinalIgnoreCase) && HidingStyle().IsMatch(Unquote(attribute.Groups["value"].Value));
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    [GeneratedRegex(@"\G<(?<name>[A-Za-z][A-Za-z0-9-]*)(?<attrs>(?:\s+[^\s""'<>/=]+(?:\s*=\s*(?:""[^""]*""|'[^']*'|[^\s""'=<>`]+))?)*)\s*(?<selfclose>/)?>", RegexOptions.CultureInvariant)]
    private static partial Regex OpeningTag();

    [GeneratedRegex(@"\s+(?<name>[^\s""'<>/=]+)(?:\s*=\s*(?<value>""[^""]*""|'[^']*'|[^\s""'=<>`]+))?", RegexOptions.CultureInvariant)]
    private static partial Regex Attribute();

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0+(?:\.0+)?\s*(?:px|pt|em|rem|%)?\s*(?:;|!|$)|opacity\s*:\s*0+(?:\.0+)?\s*(?:;|!|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HidingStyle();
}
