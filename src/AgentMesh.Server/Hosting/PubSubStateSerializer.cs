using Orleans.Serialization;
using Orleans.Storage;

namespace AgentMesh.Server.Hosting;

/// <summary>
/// The stream pub-sub store's serializer: Orleans' own binary form, because the pub-sub grain's state types
/// (<c>PubSubPublisherState</c> and friends) cannot be read back by System.Text.Json, the serializer our
/// grains use. What it adds to <see cref="OrleansGrainStorageSerializer"/>: state it cannot read (rows an
/// earlier AgentMesh wrote as JSON) starts empty instead of failing the stream; the subscriptions it held
/// belonged to processes that have restarted since.
/// </summary>
public sealed class PubSubStateSerializer(Serializer serializer) : IGrainStorageSerializer
{
    private readonly OrleansGrainStorageSerializer _inner = new(serializer);

    public BinaryData Serialize<T>(T? input) => _inner.Serialize(input);

    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            return _inner.Deserialize<T>(input);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return default;
        }
    }
}
