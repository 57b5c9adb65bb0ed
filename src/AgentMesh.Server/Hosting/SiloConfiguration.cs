using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace AgentMesh.Server.Hosting;

/// <summary>
/// Node role overlays from silo-config/. Precedence, lowest first: the overlay file, then
/// environment variables prefixed <c>AGENTMESH_</c> (e.g. <c>AGENTMESH_Store__Provider</c>),
/// then the command line.
/// </summary>
public static class SiloConfiguration
{
    /// <summary>The overlay used when none is named: web and worker roles on one node.</summary>
    public const string DefaultSilo = "all-in-one";

    /// <summary>
    /// Resolves <paramref name="silo"/> (a name such as <c>worker</c>, or a path to a .json file)
    /// to a file: ./silo-config/NAME.json first, then the copy next to the program.
    /// </summary>
    public static string ResolveOverlayPath(string silo)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(silo);
        if (silo.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return File.Exists(silo)
                ? Path.GetFullPath(silo)
                : throw new FileNotFoundException($"The silo config file '{silo}' does not exist.", silo);
        }

        string[] candidates =
        [
            Path.Combine(Directory.GetCurrentDirectory(), "silo-config", $"{silo}.json"),
            Path.Combine(AppContext.BaseDirectory, "silo-config", $"{silo}.json"),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"No silo config named '{silo}': looked for {string.Join(" and ", candidates)}.");
    }

    /// <summary>Puts the overlay below every other source, and adds the <c>AGENTMESH_</c> environment variables above it.</summary>
    public static void AddSiloOverlay(this IConfigurationManager configuration, string silo)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = ResolveOverlayPath(silo);
        var overlay = new JsonConfigurationSource { Path = Path.GetFileName(path), Optional = false, ReloadOnChange = false };
        overlay.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(path)!);
        configuration.Sources.Insert(0, overlay);

        // Environment variables with the prefix rank above the overlay, below the command line.
        var commandLineIndex = configuration.Sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationSource);
        var environment = new Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix = "AGENTMESH_" };
        if (commandLineIndex < 0)
        {
            configuration.Sources.Add(environment);
        }
        else
        {
            configuration.Sources.Insert(commandLineIndex, environment);
        }
    }
}
