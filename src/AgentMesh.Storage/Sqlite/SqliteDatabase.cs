using AgentMesh.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// Connections, the single writer and "now" for the SQLite backend. Reads open their own pooled
/// connection and run concurrently (WAL lets readers proceed beside the writer). Writes are
/// serialised twice: in-process by a gate, so this process never contends with itself, and across
/// processes by <c>BEGIN IMMEDIATE</c>, which takes the file's write lock up front (a second process
/// waits up to the busy timeout).
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private readonly string _connectionString;
    private readonly string _connectionPragmas;
    private readonly TimeProvider _timeProvider;

    static SqliteDatabase() => SQLitePCL.Batteries_V2.Init();

    public SqliteDatabase(SqliteStoreOptions options, TimeProvider timeProvider)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite also retries SQLITE_BUSY until the command timeout.
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        // Set either way, whatever default the native library was compiled with (SqliteStoreOptions.FullSync).
        _connectionPragmas = $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(options.FullSync ? "FULL" : "NORMAL")};";
        _timeProvider = timeProvider;
    }

    /// <summary>The store's clock, as unix milliseconds.</summary>
    public long Now => UnixMilliseconds.From(_timeProvider.GetUtcNow());

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = _connectionPragmas;
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs a read on its own connection. SQLite calls are synchronous; the task is already complete.</summary>
    public Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        try
        {
            using var connection = Open();
            return Task.FromResult(read(connection));
        }
        catch (Exception exception)
        {
            // Surface failures through the task like any async method would.
            return Task.FromException<T>(exception);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one <c>BEGIN IMMEDIATE</c> transaction as the only writer and
    /// commits. An exception rolls back.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteWriteContext, T> write, CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            // "Now" is read after the gate so commit order and time order agree.
            var context = new SqliteWriteContext(connection, transaction, Now);
            var result = write(context);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writerGate.Release();
        }
    }

    /// <summary>Runs a write that needs nothing back.</summary>
    public Task WriteAsync(Action<SqliteWriteContext> write, CancellationToken cancellationToken) =>
        WriteAsync<bool>(context =>
        {
            write(context);
            return true;
        }, cancellationToken);

    /// <summary>Closes pooled connections to this file, so it can be deleted or moved.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public void Dispose()
    {
        ClearPool();
        _writerGate.Dispose();
    }
}
