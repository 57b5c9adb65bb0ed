using AgentMesh.Testing;
using Microsoft.Playwright;

namespace AgentMesh.Dashboard.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright: headless, no sandbox (CI runs as root), a fresh profile
/// per browser, and none of chromium's own network chatter. Playwright's browser download does not
/// work here, so the tests never fall back to it: a missing chromium fails with how to install it.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string DefaultPath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    private readonly IPlaywright _playwright;
    private readonly TempDirectory _profile;

    private Chromium(IPlaywright playwright, IBrowserContext context, TempDirectory profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    /// <summary>The chromium to drive: <c>AGENTMESH_TEST_CHROMIUM</c> when set, else Debian's.</summary>
    public static string ExecutablePath => RequireExecutable(Environment.GetEnvironmentVariable("AGENTMESH_TEST_CHROMIUM") ?? DefaultPath);

    public static string RequireExecutable(string path) => File.Exists(path)
        ? path
        : throw new InvalidOperationException(
            $"Chromium is missing at {path}; the dashboard's browser tests drive Debian's chromium. Install it with " +
            "`apt-get install -y chromium` (as root), or run `./build.sh test`, which installs it.");

    /// <summary>A new browser with its own empty profile: its own cookies, so one person per browser.</summary>
    public static async Task<Chromium> LaunchAsync()
    {
        var executable = ExecutablePath;
        var playwright = await Playwright.CreateAsync();
        var profile = new TempDirectory("agentmesh-chromium");
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.Path, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
                ViewportSize = new ViewportSize { Width = 1600, Height = 900 },
            });
            return new Chromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            profile.Dispose();
            throw;
        }
    }

    public async Task<IPage> NewPageAsync() => Context.Pages.Count == 1 && Context.Pages[0].Url == "about:blank"
        ? Context.Pages[0]
        : await Context.NewPageAsync();

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        _profile.Dispose();
    }
}
