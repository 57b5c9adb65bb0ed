using AgentMesh.Storage.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace AgentMesh.Storage.Postgres;

/// <summary>The usage table on PostgreSQL: one upsert per run; concurrent runs of a repo add under the row lock.</summary>
internal sealed class PostgresUsageStore(PostgresStoreContext context) : IUsageStore
{
    private const string Upsert = """
        INSERT INTO usage_hourly (repo, hour, tokens, cost_usd_micros, runs, succeeded)
        VALUES (@repo, @hour, @tokens, @cost, 1, @succeeded)
        ON CONFLICT (repo, hour) DO UPDATE SET
            tokens = usage_hourly.tokens + EXCLUDED.tokens,
            cost_usd_micros = usage_hourly.cost_usd_micros + EXCLUDED.cost_usd_micros,
            runs = usage_hourly.runs + 1,
            succeeded = usage_hourly.succeeded + EXCLUDED.succeeded
        """;

    private const string Select = """
        SELECT repo, hour, tokens, cost_usd_micros, runs, succeeded FROM usage_hourly
         WHERE hour >= @from AND hour < @to AND (@repo::text IS NULL OR repo = @repo)
         ORDER BY hour, repo COLLATE "C"
        """;

    private const string Purge = "DELETE FROM usage_hourly WHERE hour < @before";

    public async Task RecordAsync(RunUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentOutOfRangeException.ThrowIfNegative(usage.Tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(usage.CostUsd);
        await using var command = context.Command(Upsert)
            .With("repo", usage.Repo)
            .WithTime("hour", UsageHours.HourOf(usage.At))
            .With("tokens", usage.Tokens)
            .With("cost", UsageHours.ToMicros(usage.CostUsd))
            .With("succeeded", usage.Succeeded ? 1 : 0);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UsageHour>> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? repo = null, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(Select)
            .WithTime("from", from)
            .WithTime("to", to)
            .WithNullable("repo", NpgsqlDbType.Text, repo);
        return await PostgresRows.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(Purge).WithTime("before", UsageHours.HourOf(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static UsageHour Map(NpgsqlDataReader r) => new(
        r.GetString(0),
        PostgresRows.Time(r, 1),
        r.GetInt64(2),
        UsageHours.FromMicros(r.GetInt64(3)),
        r.GetInt32(4),
        r.GetInt32(5));
}
