using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentMesh.Dashboard.Tests.Browser;
using AgentMesh.FakeGitHub;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;

// Log line → browser across silos with many dashboards open, and the web node's memory per open dashboard.
// A web node and a worker node (two processes, two silos) share one PostgreSQL; the worker runs a plain-command
// agent that prints timestamped lines at a steady rate once every dashboard is open; N job pages in one headless
// chromium on the web node record when each line appears (a MutationObserver, the same clock).
// Usage: AgentMesh.Bench.Dashboard [dashboards, default 50] [lines, default 100] [lines per second, default 10]
var dashboards = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var lineCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var rate = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
const string Owner = "octo";
const string Repo = "octo/widgets";
const string Bot = "agentmesh-bot";
const string WebhookSecret = "bench-webhook-secret";
const string AdminToken = "bench-admin-token-0123456789";

using var directory = new TempDirectory("agentmesh-bench-dashboard");
await using var gitHub = await FakeGitHubServer.StartAsync();
gitHub.CreateUser(Bot, "Bot");
var botToken = gitHub.CreateToken(Bot);
GitTool.SeedRepository(gitHub.CreateRepo(Owner, "widgets").GitDirectory, directory.Combine("seed"));
gitHub.AddCollaborator(Repo, Bot, "write");
var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
var goFile = directory.Combine("go");
var agentScript = directory.Combine("agent.sh");
// Waits for the go signal, then prints "bench-line <i> <unix ms>" at the given rate.
File.WriteAllText(agentScript, string.Create(CultureInfo.InvariantCulture, $$"""
    #!/bin/bash
    while [ ! -f {{goFile}} ]; do sleep 0.05; done
    for i in $(seq 1 {{lineCount}}); do echo "bench-line $i $(date +%s%3N)"; sleep {{1 / rate:0.###}}; done
    """));

Dictionary<string, string> Node(string id, string roles) => new()
{
    ["AGENTMESH_Node__NodeId"] = id,
    ["AGENTMESH_Node__Roles"] = roles,
    ["AGENTMESH_Store__Provider"] = "postgres",
    ["AGENTMESH_Store__ConnectionString"] = connectionString,
    ["AGENTMESH_Store__DataDirectory"] = directory.Combine(id),
    ["AGENTMESH_Silo__SiloPort"] = "0",
    ["AGENTMESH_Silo__GatewayPort"] = "0",
    ["AGENTMESH_Silo__AdvertisedAddress"] = "127.0.0.1",
    ["AGENTMESH_Admin__Token"] = AdminToken,
    ["AGENTMESH_GitHub__Token"] = botToken,
    ["AGENTMESH_GitHub__Rest__BaseAddress"] = gitHub.ApiBaseAddress.ToString(),
    ["AGENTMESH_GitHub__GitBaseAddress"] = gitHub.WebBaseAddress.ToString(),
    ["AGENTMESH_GitHub__Webhooks__GlobalSecret"] = WebhookSecret,
    ["AGENTMESH_Pipeline__BotLogin"] = Bot,
    ["AGENTMESH_Agents__DefaultProfile"] = "printer",
    ["AGENTMESH_Agents__Profiles__printer__Cli"] = "Command",
    ["AGENTMESH_Agents__Profiles__printer__Command"] = "/bin/bash",
    ["AGENTMESH_Agents__Profiles__printer__Arguments__0"] = agentScript,
    ["AGENTMESH_Workspaces__MinimumFreeDiskBytes"] = "1048576",
};

await using var web = await AgentMeshProgram.StartServeAsync(directory.Path, Node("web-1", "web"));
await using var worker = await AgentMeshProgram.StartServeAsync(directory.Path, Node("worker-1", "worker"));
using var http = new HttpClient { BaseAddress = web.BaseAddress };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
(await http.PutAsJsonAsync($"/api/repos/{Repo}", new { enabled = true, autoSolve = true })).EnsureSuccessStatusCode();

await using var browser = await Chromium.LaunchAsync();
var first = await browser.NewPageAsync();
await first.GotoAsync(Regex.Match(web.Stdout, @"sign in:\s+(\S+)").Groups[1].Value);
await first.Locator("[data-testid=who]").WaitForAsync(new() { Timeout = 30_000 });

var issue = gitHub.CreateIssue(Repo, "Print lines", null, Owner);
using (var response = await gitHub.SendWebhookAsync(
    new Uri(web.BaseAddress, "/webhooks/github"),
    "issues",
    Encoding.UTF8.GetBytes(gitHub.IssuesPayload(Repo, issue.Number, "opened", Owner).ToJsonString()),
    WebhookSecret))
{
    response.EnsureSuccessStatusCode();
}
var jobId = await WaitForJobAsync(http);

var rssBefore = RssBytes(web.ProcessId);
var pages = new List<Microsoft.Playwright.IPage> { first };
for (var i = 1; i < dashboards; i++)
{
    pages.Add(await browser.Context.NewPageAsync());
}
const string Observer = """
    () => {
      window.__seen = [];
      const log = document.getElementById('job-log');
      new MutationObserver(records => {
        const now = Date.now();
        // A line arrives alone, or inside the first render of its block of lines.
        const lines = [];
        for (const r of records) for (const n of r.addedNodes) {
          if (n.dataset && n.dataset.seq) lines.push(n);
          else if (n.querySelectorAll) lines.push(...n.querySelectorAll('[data-seq]'));
        }
        for (const n of lines) {
          const m = /bench-line (\d+) (\d+)/.exec(n.textContent || '');
          if (m && n.dataset.kind !== 'Result') window.__seen.push([Number(n.dataset.seq), Number(m[1]), Number(m[2]), now]);
        }
      }).observe(log, { childList: true, subtree: true });
    }
    """;
foreach (var page in pages)
{
    await page.GotoAsync(new Uri(web.BaseAddress, $"/jobs/{jobId}").ToString());
    await page.Locator("#job-log").WaitForAsync(new() { Timeout = 60_000 });
    await page.EvaluateAsync(Observer);
}
var rssOpen = RssBytes(web.ProcessId);
// What the open pages cost with nothing arriving (animations, timers): five seconds idle.
var cpuIdle = CpuSecondsByProcess(web.ProcessId, worker.ProcessId);
await Task.Delay(TimeSpan.FromSeconds(5));
var cpuIdleEnd = CpuSecondsByProcess(web.ProcessId, worker.ProcessId);
var sessions = new List<Microsoft.Playwright.ICDPSession>();
foreach (var page in pages)
{
    var session = await page.Context.NewCDPSessionAsync(page);
    await session.SendAsync("Performance.enable");
    sessions.Add(session);
}
var metricsBefore = await BrowserMetricsAsync(sessions);
var cpuBefore = CpuSecondsByProcess(web.ProcessId, worker.ProcessId);
var wallBefore = System.Diagnostics.Stopwatch.GetTimestamp();
File.WriteAllText(goFile, "go");
var deadline = DateTimeOffset.UtcNow.AddSeconds(lineCount / rate + 60);
foreach (var page in pages)
{
    while (await page.EvaluateAsync<int>("() => window.__seen.length") < lineCount)
    {
        if (DateTimeOffset.UtcNow > deadline)
        {
            var job = await http.GetStringAsync($"/api/jobs/{jobId}");
            var log = await http.GetStringAsync($"/api/jobs/{jobId}/logs?tail=20");
            throw new TimeoutException($"a dashboard saw {await page.EvaluateAsync<int>("() => window.__seen.length")} of {lineCount} lines; the job: {job}\nits log: {log}\nworker: {AgentMeshProgram.Tail(worker.Output)}");
        }
        await Task.Delay(200);
    }
}
var rssAfter = RssBytes(web.ProcessId);
var cpuAfter = CpuSecondsByProcess(web.ProcessId, worker.ProcessId);
var metricsAfter = await BrowserMetricsAsync(sessions);
var wall = System.Diagnostics.Stopwatch.GetElapsedTime(wallBefore).TotalSeconds;

var storedAt = await StoredAtAsync(http, jobId);
var fromPrint = new List<double>();
var fromStore = new List<double>();
foreach (var page in pages)
{
    foreach (var seen in await page.EvaluateAsync<long[][]>("() => window.__seen"))
    {
        fromPrint.Add(seen[3] - seen[2]);
        if (storedAt.TryGetValue(seen[0], out var at))
        {
            fromStore.Add(seen[3] - at.ToUnixTimeMilliseconds());
        }
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{dashboards} dashboards, {lineCount} lines at {rate}/s, agent on worker-1, pages on web-1"));
Report("printed by the agent → shown", fromPrint);
Report("stored by the worker → shown", fromStore);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"web node RSS: {rssBefore / 1048576.0:0.0} MiB before, {rssOpen / 1048576.0:0.0} MiB with {dashboards} open, {rssAfter / 1048576.0:0.0} MiB after the run; per dashboard {(rssOpen - rssBefore) / 1048576.0 / (dashboards - 1):0.00} MiB open, {(rssAfter - rssBefore) / 1048576.0 / (dashboards - 1):0.00} MiB after the run"));
Console.WriteLine("CPU in 5 s idle with the pages open: " + string.Join(", ", cpuIdleEnd.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value - cpuIdle.GetValueOrDefault(p.Key):0.0} s"))));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU while lines flowed ({wall:0.0} s wall, 2 cores = {2 * wall:0.0} core-seconds): ")
    + string.Join(", ", cpuAfter.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value - cpuBefore.GetValueOrDefault(p.Key):0.0} s"))));
Console.WriteLine("Browser main-thread seconds, all pages, while lines flowed: " + string.Join(", ", metricsAfter.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value - metricsBefore.GetValueOrDefault(m.Key):0.00}"))));
return;

// Chromium's own accounting of its pages' main threads (CDP Performance.getMetrics), summed over the pages.
static async Task<Dictionary<string, double>> BrowserMetricsAsync(List<Microsoft.Playwright.ICDPSession> sessions)
{
    string[] wanted = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration"];
    var sums = wanted.ToDictionary(w => w, _ => 0.0);
    foreach (var session in sessions)
    {
        var result = await session.SendAsync("Performance.getMetrics");
        foreach (var metric in result!.Value.GetProperty("metrics").EnumerateArray())
        {
            var name = metric.GetProperty("name").GetString()!;
            if (sums.ContainsKey(name))
            {
                sums[name] += metric.GetProperty("value").GetDouble();
            }
        }
    }
    return sums;
}

// CPU seconds (user + system) so far of the web node, the worker node, chromium, PostgreSQL and everything else.
static Dictionary<string, double> CpuSecondsByProcess(int webPid, int workerPid)
{
    var seconds = new Dictionary<string, double>();
    foreach (var dir in Directory.EnumerateDirectories("/proc"))
    {
        if (!int.TryParse(Path.GetFileName(dir), out var pid))
        {
            continue;
        }
        try
        {
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var comm = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100;
            var group = pid == webPid ? "web node" : pid == workerPid ? "worker node" : comm.Contains("chrom", StringComparison.Ordinal) ? "chromium" : comm.StartsWith("postgres", StringComparison.Ordinal) ? "postgres" : "other";
            seconds[group] = seconds.GetValueOrDefault(group) + cpu;
        }
        catch (IOException)
        {
            // The process ended between the listing and the read.
        }
    }
    return seconds;
}

static void Report(string what, List<double> latencies)
{
    latencies.Sort();
    double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: n={latencies.Count} p50={P(0.50):0} ms p90={P(0.90):0} ms p99={P(0.99):0} ms max={latencies[^1]:0} ms"));
}

static long RssBytes(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

static async Task<string> WaitForJobAsync(HttpClient http)
{
    for (var i = 0; i < 600; i++)
    {
        var list = await http.GetFromJsonAsync<JsonElement>("/api/jobs");
        var jobs = list.GetProperty("items");
        if (jobs.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } job)
        {
            return job.GetProperty("id").GetString()!;
        }
        await Task.Delay(100);
    }
    throw new TimeoutException("no job was created from the webhook");
}

static async Task<Dictionary<long, DateTimeOffset>> StoredAtAsync(HttpClient http, string jobId)
{
    var stored = new Dictionary<long, DateTimeOffset>();
    var after = 0L;
    while (true)
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}/logs?after={after}&limit=1000");
        var lines = page.GetProperty("lines").EnumerateArray().ToList();
        foreach (var line in lines)
        {
            stored[line.GetProperty("sequence").GetInt64()] = line.GetProperty("at").GetDateTimeOffset();
            after = line.GetProperty("sequence").GetInt64();
        }
        if (lines.Count < 1000)
        {
            return stored;
        }
    }
}
