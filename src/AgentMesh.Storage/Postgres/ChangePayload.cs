using System.Globalization;
using System.Text;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Postgres;

/// <summary>
/// The NOTIFY payload: ids and sequence numbers only, never data. One line per change,
/// <c>&lt;kind letter&gt;&lt;sequence&gt;:&lt;job id&gt;</c> (J job, L log, M mailbox, E event), lines separated
/// by <c>\n</c>; the single letter <c>R</c> means "resync everything". Single-change statements build the
/// same format in SQL (<c>'J' || version || ':' || id</c>).
/// </summary>
internal static class ChangePayload
{
    /// <summary>Payloads must stay under PostgreSQL's 8000-byte limit; past this a transaction sends R instead.</summary>
    public const int MaxBytes = 7000;

    public const string ResyncAll = "R";

    public static string Encode(IEnumerable<StoreChange> changes)
    {
        var builder = new StringBuilder();
        foreach (var change in changes)
        {
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }
            builder.Append(Letter(change.Kind)).Append(change.Sequence.ToString(CultureInfo.InvariantCulture)).Append(':').Append(change.JobId);
        }
        return builder.Length == 0 || Encoding.UTF8.GetByteCount(builder.ToString()) > MaxBytes ? ResyncAll : builder.ToString();
    }

    /// <summary>Parses a payload. Anything it does not understand becomes a resync: a reader re-reads rather than misses.</summary>
    public static IReadOnlyList<StoreChange> Decode(string payload)
    {
        var changes = new List<StoreChange>();
        foreach (var line in payload.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.Length < 3 || colon < 2
                || Kind(line[0]) is not { } kind
                || !long.TryParse(line.AsSpan(1, colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return [new StoreChange(StoreChangeKind.Resync, string.Empty, 0)];
            }
            changes.Add(new StoreChange(kind, line[(colon + 1)..], sequence));
        }
        return changes;
    }

    private static char Letter(StoreChangeKind kind) => kind switch
    {
        StoreChangeKind.Job => 'J',
        StoreChangeKind.Log => 'L',
        StoreChangeKind.Mailbox => 'M',
        StoreChangeKind.Event => 'E',
        _ => 'R',
    };

    private static StoreChangeKind? Kind(char letter) => letter switch
    {
        'J' => StoreChangeKind.Job,
        'L' => StoreChangeKind.Log,
        'M' => StoreChangeKind.Mailbox,
        'E' => StoreChangeKind.Event,
        _ => null,
    };
}
