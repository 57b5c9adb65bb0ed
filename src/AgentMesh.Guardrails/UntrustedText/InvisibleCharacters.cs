using System.Text;

namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>
/// Characters that render as nothing but still reach a model: zero-width characters, bidirectional controls
/// (the "Trojan Source" trick that makes text read differently from how it displays), the Unicode tag block
/// (U+E0000–U+E007F, "ASCII smuggling": a whole hidden sentence in characters no font draws) and the
/// supplementary variation selectors (U+E0100–U+E01EF, used to smuggle bytes behind an emoji).
/// </summary>
internal static class InvisibleCharacters
{
    /// <summary>True for a code point that is invisible formatting and carries no meaning a reader could see.</summary>
    public static bool IsInvisible(int codePoint) => codePoint switch
    {
        0x00AD => true,                     // soft hyphen
        0x034F => true,                     // combining grapheme joiner
        0x061C => true,                     // Arabic letter mark (bidi)
        0x115F or 0x1160 => true,           // Hangul fillers
        0x17B4 or 0x17B5 => true,           // Khmer inherent vowels (render empty)
        0x180E => true,                     // Mongolian vowel separator
        >= 0x200B and <= 0x200F => true,    // zero-width space/non-joiner/joiner, LRM, RLM
        >= 0x202A and <= 0x202E => true,    // bidi embeddings and overrides
        >= 0x2060 and <= 0x2064 => true,    // word joiner, invisible operators
        >= 0x2066 and <= 0x206F => true,    // bidi isolates and deprecated format characters
        0x3164 => true,                     // Hangul filler
        0xFEFF => true,                     // zero-width no-break space (BOM)
        0xFFA0 => true,                     // halfwidth Hangul filler
        >= 0xFFF9 and <= 0xFFFB => true,    // interlinear annotation controls
        >= 0xE0000 and <= 0xE007F => true,  // tag characters
        >= 0xE0100 and <= 0xE01EF => true,  // variation selectors supplement
        _ => false,
    };

    /// <summary>Returns <paramref name="text"/> without invisible characters, and how many were removed.</summary>
    public static string Strip(string text, out int removed)
    {
        removed = 0;
        StringBuilder? builder = null;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsInvisible(rune.Value))
            {
                builder ??= new StringBuilder(text.Length).Append(text, 0, index);
                removed++;
            }
            else
            {
                builder?.Append(rune.ToString());
            }
            index += rune.Utf16SequenceLength;
        }
        return builder?.ToString() ?? text;
    }
}
