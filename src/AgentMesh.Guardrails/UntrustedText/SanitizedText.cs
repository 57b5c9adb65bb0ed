namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>Untrusted text with the content nobody sees on GitHub taken out, and a count of what was taken.</summary>
/// <param name="Text">The text an agent may read.</param>
/// <param name="Removed">How many pieces of each kind were removed; kinds with none are absent.</param>
public sealed record SanitizedText(string Text, IReadOnlyDictionary<RemovedContentKind, int> Removed)
{
    /// <summary>True when nothing was removed.</summary>
    public bool IsUnchanged => Removed.Count == 0;

    /// <summary>One line for the job log, e.g. "removed 2 HTML comments, 1 hidden HTML element"; empty when nothing was removed.</summary>
    public string Summary() => string.Join(", ", Removed.OrderBy(r => r.Key).Select(r => $"{r.Value} × {Describe(r.Key)}"));

    private static string Describe(RemovedContentKind kind) => kind switch
    {
        RemovedContentKind.InvisibleCharacter => "invisible character",
        RemovedContentKind.HtmlComment => "HTML comment",
        RemovedContentKind.HiddenHtml => "hidden HTML element",
        RemovedContentKind.ImageAltText => "image alt text",
        RemovedContentKind.Title => "link or element title",
        RemovedContentKind.UnusedLinkDefinition => "markdown comment or unused link definition",
        RemovedContentKind.Unparsable => "text too deeply nested to parse, left out",
        _ => kind.ToString(),
    };
}
