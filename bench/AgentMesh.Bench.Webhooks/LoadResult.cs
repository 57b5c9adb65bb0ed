namespace AgentMesh.Bench.Webhooks;

/// <summary>What one load run measured; printed by the generator as one tab-separated line.</summary>
internal sealed record LoadResult(int Sent, int Accepted, int Failed, double P50Ms, double P99Ms, double MaxMs, double ThroughputPerSecond)
{
    public string ToLine() => FormattableString.Invariant($"RESULT\t{Sent}\t{Accepted}\t{Failed}\t{P50Ms:0.000}\t{P99Ms:0.000}\t{MaxMs:0.000}\t{ThroughputPerSecond:0.0}");

    public static LoadResult? Parse(string line)
    {
        var parts = line.Split('\t');
        if (parts.Length != 8 || parts[0] != "RESULT")
        {
            return null;
        }
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return new LoadResult(int.Parse(parts[1], c), int.Parse(parts[2], c), int.Parse(parts[3], c),
            double.Parse(parts[4], c), double.Parse(parts[5], c), double.Parse(parts[6], c), double.Parse(parts[7], c));
    }
}
