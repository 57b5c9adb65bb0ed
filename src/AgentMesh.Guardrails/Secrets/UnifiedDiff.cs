using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentMesh.Guardrails.Secrets;

/// <summary>What a unified diff (<c>git diff</c>) adds: its added lines with their new line numbers, and the binary files it cannot show.</summary>
/// <param name="AddedLines">Every '+' line inside a hunk, in order.</param>
/// <param name="BinaryFiles">Files git reported as "Binary files … differ": their content is not in the diff.</param>
public sealed partial record UnifiedDiff(IReadOnlyList<AddedLine> AddedLines, IReadOnlyList<string> BinaryFiles)
{
    /// <summary>
    /// Reads <paramref name="diff"/>. Hunk line counts decide where a hunk ends, so an added line that itself
    /// starts with "++" is never mistaken for a file header. Deleted and context lines are skipped: a secret the
    /// run removes is not one it pushes.
    /// </summary>
    public static UnifiedDiff Parse(string diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var added = new List<AddedLine>();
        var binary = new List<string>();
        string? path = null;
        int newLine = 0, oldLeft = 0, newLeft = 0;
        foreach (var line in diff.ReplaceLineEndings("\n").Split('\n'))
        {
            if (oldLeft > 0 || newLeft > 0)
            {
                switch (line.Length > 0 ? line[0] : ' ')
                {
                    case '+':
                        if (path is not null)
                        {
                            added.Add(new AddedLine(path, newLine, line[1..]));
                        }
                        newLine++;
                        newLeft--;
                        break;
                    case '-':
                        oldLeft--;
                        break;
                    case '\\':
                        break; // "\ No newline at end of file"
                    default:
                        newLine++;
                        newLeft--;
                        oldLeft--;
                        break;
                }
                continue;
            }
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                path = null;
            }
            else if (line.StartsWith("+++ ", StringComparison.Ordinal))
            {
                var target = Unquote(line[4..].TrimEnd('\t'));
                path = target == "/dev/null" ? null : StripPrefix(target);
            }
            else if (HunkHeader().Match(line) is { Success: true } hunk)
            {
                oldLeft = Count(hunk.Groups["oldCount"]);
                newLine = int.Parse(hunk.Groups["newStart"].Value, CultureInfo.InvariantCulture);
                newLeft = Count(hunk.Groups["newCount"]);
            }
            else if (BinaryLine().Match(line) is { Success: true } bin)
            {
                var target = Unquote(bin.Groups["new"].Value);
                binary.Add(target == "/dev/null" ? StripPrefix(Unquote(bin.Groups["old"].Value)) : StripPrefix(target));
            }
        }
        return new UnifiedDiff(added, binary);
    }

    private static int Count(Group group) => group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : 1;

    /// <summary>"b/src/x.cs" → "src/x.cs" (git's default prefixes; with --no-prefix there is none to strip).</summary>
    private static string StripPrefix(string path) =>
        path.Length > 2 && (path.StartsWith("b/", StringComparison.Ordinal) || path.StartsWith("a/", StringComparison.Ordinal)) ? path[2..] : path;

    /// <summary>Git quotes paths with unusual bytes as C strings ("b/caf\303\251.txt"); decode them so findings name the real file.</summary>
    private static string Unquote(string path)
    {
        if (path.Length < 2 || path[0] != '"' || path[^1] != '"')
        {
            return path;
        }
        var bytes = new List<byte>();
        for (var i = 1; i < path.Length - 1; i++)
        {
            var c = path[i];
            if (c != '\\' || i + 1 >= path.Length - 1)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }
            var next = path[++i];
            if (next is >= '0' and <= '7' && i + 2 < path.Length - 1)
            {
                bytes.Add(Convert.ToByte(path.Substring(i, 3), 8));
                i += 2;
                continue;
            }
            bytes.Add(next switch { 'n' => (byte)'\n', 't' => (byte)'\t', 'r' => (byte)'\r', 'a' => 7, 'b' => 8, 'f' => 12, 'v' => 11, _ => (byte)next });
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex(@"^@@ -\d+(?:,(?<oldCount>\d+))? \+(?<newStart>\d+)(?:,(?<newCount>\d+))? @@")]
    private static partial Regex HunkHeader();

    [GeneratedRegex(@"^Binary files (?<old>""[^""]*""|\S+) and (?<new>""[^""]*""|\S+) differ$")]
    private static partial Regex BinaryLine();
}
