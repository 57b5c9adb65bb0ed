namespace AgentMesh.Guardrails.Secrets;

/// <summary>Bits of entropy per character: random keys score high (base64 ≈ 5, hex ≈ 4), words and placeholders low.</summary>
internal static class ShannonEntropy
{
    public static double BitsPerCharacter(string value)
    {
        if (value.Length == 0)
        {
            return 0;
        }
        var counts = new Dictionary<char, int>();
        foreach (var c in value)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }
        double length = value.Length;
        return -counts.Values.Sum(n => n / length * Math.Log2(n / length));
    }
}
