using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace AgentMesh.Storage.Sqlite;

/// <summary>One numbered schema change, embedded as <c>Sqlite/Migrations/NNNN_name.sql</c>.</summary>
internal sealed partial record SqliteMigration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "AgentMesh.Storage.Sqlite.Migrations.";

    /// <summary>Every embedded migration, in version order; fails when two share a number.</summary>
    public static IReadOnlyList<SqliteMigration> LoadEmbedded()
    {
        var assembly = typeof(SqliteMigration).Assembly;
        var migrations = new List<SqliteMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var fileName = resource[ResourcePrefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Embedded migration '{fileName}' is not named NNNN_name.sql.");
            }
            migrations.Add(new SqliteMigration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                Read(assembly, resource)));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two embedded SQLite migrations have version {duplicate.Key}.");
        }
        return [.. migrations.OrderBy(m => m.Version)];
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration '{resource}' could not be opened.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d+)_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
