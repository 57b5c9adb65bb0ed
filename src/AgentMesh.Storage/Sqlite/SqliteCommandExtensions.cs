using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>Small helpers that keep the role classes free of ADO.NET boilerplate.</summary>
internal static class SqliteCommandExtensions
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Runs a one-value query, then disposes the command.</summary>
    public static long ScalarInt64(this SqliteCommand command)
    {
        using (command)
        {
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Reads every row with <paramref name="map"/>, then disposes the command.</summary>
    public static List<T> ReadAll<T>(this SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        using (command)
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(map(reader));
            }
            return rows;
        }
    }

    /// <summary>Reads the first row with <paramref name="map"/>, or default when there is none.</summary>
    public static T? ReadFirstOrDefault<T>(this SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        using (command)
        {
            using var reader = command.ExecuteReader();
            return reader.Read() ? map(reader) : default;
        }
    }

    public static int Execute(this SqliteCommand command)
    {
        using (command)
        {
            return command.ExecuteNonQuery();
        }
    }

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetNullableInt64(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
