using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentMesh.Guardrails.Audit;

/// <summary>
/// Reads <c>git diff --numstat</c> output: "added TAB deleted TAB path", "-" counts for binary files, and renames
/// as "old =&gt; new" or "dir/{old =&gt; new}/file". Run git with <c>-c core.quotePath=false</c> so non-ASCII
/// names arrive as written.
/// </summary>
public static partial class NumstatParser
{
    /// <summary>Parses every line of <paramref name="numstat"/>; a line not in numstat form is an error, never skipped.</summary>
    /// <exception cref="FormatException">A line is not numstat output.</exception>
    public static IReadOnlyList<FileChange> Parse(string numstat)
    {
        ArgumentNullException.ThrowIfNull(numstat);
        var changes = new List<FileChange>();
        foreach (var line in numstat.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            var parts = line.Split('\t', 3);
            if (parts.Length != 3 || !TryCount(parts[0], out var added) || !TryCount(parts[1], out var deleted))
            {
                throw new FormatException($"Not a line of git diff --numstat output: \"{line}\".");
            }
            var (oldPath, path) = SplitRename(parts[2]);
            changes.Add(new FileChange(path, oldPath, added, deleted));
        }
        return changes;
    }

    private static bool TryCount(string text, out int? count)
    {
        count = null;
        if (text == "-")
        {
            return true;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            count = value;
            return true;
        }
        return false;
    }

    private static (string? OldPath, string Path) SplitRename(string path)
    {
        if (BracedRename().Match(path) is { Success: true } braced)
        {
            var prefix = braced.Groups["prefix"].Value;
            var suffix = braced.Groups["suffix"].Value;
            // "{ => sub}/x" and "a/{sub => }/x" leave a doubled slash once a side is empty.
            return (Join(prefix, braced.Groups["old"].Value, suffix), Join(prefix, braced.Groups["new"].Value, suffix));
        }
        var arrow = path.IndexOf(" => ", StringComparison.Ordinal);
        return arrow < 0 ? (null, path) : (path[..arrow], path[(arrow + 4)..]);
    }

    private static string Join(string prefix, string middle, string suffix) =>
        (prefix + middle + suffix).Replace("//", "/", StringComparison.Ordinal).TrimStart('/');

    [GeneratedRegex(@"^(?<prefix>.*)\{(?<old>[^{}]*) => (?<new>[^{}]*)\}(?<suffix>.*)$")]
    private static partial Regex BracedRename();
}
