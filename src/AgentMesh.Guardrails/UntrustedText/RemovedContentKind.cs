namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>What the sanitizer took out of untrusted text: kinds of content a reader of the rendered page does not see.</summary>
public enum RemovedContentKind
{
    /// <summary>Zero-width, bidirectional-control, Unicode tag or other invisible formatting characters.</summary>
    InvisibleCharacter,

    /// <summary>An HTML comment (<c>&lt;!-- … --&gt;</c>), which GitHub does not render.</summary>
    HtmlComment,

    /// <summary>An HTML element hidden from view (<c>hidden</c>, <c>display:none</c>, <c>visibility:hidden</c>, <c>font-size:0</c>, or a never-rendered element such as <c>&lt;template&gt;</c>).</summary>
    HiddenHtml,

    /// <summary>Image alt text (markdown <c>![alt](…)</c> or an HTML <c>alt</c> attribute), shown only when an image fails to load.</summary>
    ImageAltText,

    /// <summary>A link or element title (markdown <c>[x](url "title")</c> or an HTML <c>title</c> attribute), shown only on hover.</summary>
    Title,

    /// <summary>
    /// A markdown link reference definition no link uses — rendered as nothing, which makes
    /// <c>[//]: # (text)</c> the markdown way to write a comment.
    /// </summary>
    UnusedLinkDefinition,

    /// <summary>
    /// A whole text the markdown parser refused (nesting deeper than it allows). No one writes such text to
    /// describe work, and what it hides cannot be told, so it is left out whole.
    /// </summary>
    Unparsable,
}
