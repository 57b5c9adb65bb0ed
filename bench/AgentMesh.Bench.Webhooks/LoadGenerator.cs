using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentMesh.GitHub.Webhooks;

namespace AgentMesh.Bench.Webhooks;

/// <summary>
/// Open-loop load: delivery i is due at start + i/rate whether or not earlier ones were answered, and its
/// latency counts from that due time (so a stalled server shows up as latency, not as a slower send rate).
/// </summary>
internal static class LoadGenerator
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p[1], StringComparer.Ordinal);
        var url = new Uri(options["url"]);
        var rate = int.Parse(options["rate"], CultureInfo.InvariantCulture);
        var seconds = double.Parse(options["seconds"], CultureInfo.InvariantCulture);
        var warmupSeconds = double.Parse(options["warmup"], CultureInfo.InvariantCulture);
        var template = File.ReadAllBytes(options["payload"]);
        // The secret comes on stdin, never in argv where `ps` shows it.
        var secret = Encoding.UTF8.GetBytes(Console.In.ReadLine() ?? throw new InvalidOperationException("Expected the webhook secret on stdin."));

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        await RunPhaseAsync(http, url, secret, template, rate, warmupSeconds, "warm");
        var result = await RunPhaseAsync(http, url, secret, template, rate, seconds, "run");
        Console.WriteLine(result.ToLine());
        return 0;
    }

    private static async Task<LoadResult> RunPhaseAsync(HttpClient http, Uri url, byte[] secret, byte[] template, int rate, double seconds, string phase)
    {
        var count = (int)(rate * seconds);
        // Bodies and signatures are prepared first so the generator's own work does not pace the sends.
        var deliveries = Enumerable.Range(0, count).Select(i => Prepare(template, secret, $"{phase}-{Environment.ProcessId}-{i}")).ToArray();
        var latencies = new double[count];
        var statuses = new HttpStatusCode[count];
        var tasks = new Task[count];
        var clock = Stopwatch.StartNew();
        var ticksPerDelivery = Stopwatch.Frequency / (double)rate;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = started + (long)(i * ticksPerDelivery);
            // Sleep to 2 ms before the due time (timers overshoot by about a millisecond), then spin onto it.
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) - TimeSpan.FromMilliseconds(2);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.SpinWait(20);
            }
            var index = i;
            tasks[i] = SendAsync(http, url, deliveries[i], due, latencies, statuses, index);
        }
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        var accepted = statuses.Count(s => s == HttpStatusCode.Accepted);
        Array.Sort(latencies);
        return new LoadResult(count, accepted, count - accepted,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], accepted / elapsed);
    }

    private static async Task SendAsync(HttpClient http, Uri url, (byte[] Body, string Id, string Signature) delivery, long due, double[] latencies, HttpStatusCode[] statuses, int index)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookHeaders.Event, "issues");
        request.Headers.Add(WebhookHeaders.Delivery, delivery.Id);
        request.Headers.Add(WebhookHeaders.Signature256, delivery.Signature);
        try
        {
            using var response = await http.SendAsync(request);
            statuses[index] = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            statuses[index] = 0;
        }
        latencies[index] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
    }

    /// <summary>A distinct delivery: the real example payload with the delivery id in it, signed.</summary>
    private static (byte[] Body, string Id, string Signature) Prepare(byte[] template, byte[] secret, string id)
    {
        var json = JsonNode.Parse(template)!.AsObject();
        json["issue"]!["title"] = "load " + id;
        var body = Encoding.UTF8.GetBytes(json.ToJsonString());
        return (body, id, WebhookSignature.Compute(secret, body));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
