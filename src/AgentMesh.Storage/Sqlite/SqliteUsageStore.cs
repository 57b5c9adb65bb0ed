using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>The usage table on SQLite: one upsert per run, adding to the hour's row.</summary>
internal sealed class SqliteUsageStore(SqliteDatabase database) : IUsageStore
{
    private const string Upsert = """
        INSERT INTO usage_hourly (repo, hour, tokens, cost_usd_micros, runs, succeeded)
        VALUES (@repo, @hour, @tokens, @cost, 1, @succeeded)
        ON CONFLICT (repo, hour) DO UPDATE SET
            tokens = tokens + excluded.tokens,
            cost_usd_micros = cost_usd_micros + excluded.cost_usd_micros,
            runs = runs + 1,
            succeeded = succeeded + excluded.succeeded;
        """;

    private const string Select = """
        SELECT repo, hour, tokens, cost_usd_micros, runs, succeeded FROM usage_hourly
         WHERE hour >= @from AND hour < @to AND (@repo IS NULL OR repo = @repo)
         ORDER BY hour, repo;
        """;

    private const string Purge = "DELETE FROM usage_hourly WHERE hour < @before;";

    public Task RecordAsync(RunUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentOutOfRangeException.ThrowIfNegative(usage.Tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(usage.CostUsd);
        return database.WriteAsync(context => context.Command(Upsert)
            .With("@repo", usage.Repo)
            .With("@hour", UnixMilliseconds.From(UsageHours.HourOf(usage.At)))
            .With("@tokens", usage.Tokens)
            .With("@cost", UsageHours.ToMicros(usage.CostUsd))
            .With("@succeeded", usage.Succeeded ? 1 : 0)
            .Execute(), cancellationToken);
    }

    public async Task<IReadOnlyList<UsageHour>> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? repo = null, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(
            connection => connection.Command(Select)
                .With("@from", UnixMilliseconds.From(from))
                .With("@to", UnixMilliseconds.From(to))
                .With("@repo", repo)
                .ReadAll(Map),
            cancellationToken).ConfigureAwait(false);

    public Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        database.WriteAsync(context => context.Command(Purge)
            .With("@before", UnixMilliseconds.From(UsageHours.HourOf(cutoff)))
            .Execute(), cancellationToken);

    private static UsageHour Map(SqliteDataReader r) => new(
        r.GetString(0),
        UnixMilliseconds.ToTime(r.GetInt64(1)),
        r.GetInt64(2),
        UsageHours.FromMicros(r.GetInt64(3)),
        r.GetInt32(4),
        r.GetInt32(5));
}
