namespace AgentMesh.Storage.Internal;

/// <summary>
/// The store's time format: UTC instants as integer unix milliseconds. Integers sort and compare
/// in SQL without parsing, and are the same in both backends; sub-millisecond precision is dropped.
/// </summary>
internal static class UnixMilliseconds
{
    public static long From(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? From(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToTime(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary>Adds a duration, saturating instead of overflowing for absurd values.</summary>
    public static long Add(long at, TimeSpan duration)
    {
        var ms = (long)Math.Min(duration.TotalMilliseconds, long.MaxValue / 4);
        return at + ms;
    }
}
