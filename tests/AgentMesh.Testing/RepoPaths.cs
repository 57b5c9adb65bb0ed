namespace AgentMesh.Testing;

/// <summary>Locates the repository root and the tools the test command installs (see build.sh).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding AgentMesh.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>Where build.sh installs the pinned npm packages the tests use (tests/node/node_modules).</summary>
    public static string NodeModules => Path.Combine(Root, "tests", "node", "node_modules");

    /// <summary>
    /// The path of an installed npm package, or a failure that says how to install it. Tests never
    /// silently skip when a prerequisite is missing.
    /// </summary>
    public static string RequireNpmPackage(string packageName)
    {
        var path = Path.Combine(NodeModules, packageName);
        if (!Directory.Exists(path))
        {
            throw new InvalidOperationException(
                $"The npm package {packageName} is not installed at {path}. Run `./build.sh test` (it installs the pinned " +
                $"packages from tests/node/package.json), or `npm ci --prefix tests/node` by hand.");
        }
        return path;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AgentMesh.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException(
            $"Could not find AgentMesh.sln above {AppContext.BaseDirectory}.");
    }
}
