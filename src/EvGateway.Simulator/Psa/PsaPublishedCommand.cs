using System.Text.Json;

namespace EvGateway.Simulator.Psa;

/// <summary>A command envelope a client published to the broker, as received, so tests can assert its exact shape.</summary>
/// <param name="Topic">e.g. psa/RemoteServices/from/cid/AP-ACNT200000328091/VehCharge</param>
/// <param name="Service">the part after the customer id, e.g. /VehCharge or /VehCharge/state</param>
/// <param name="Envelope">the parsed JSON, or null when the payload was not JSON</param>
public sealed record PsaPublishedCommand(string Topic, string Service, JsonElement? Envelope, DateTimeOffset ReceivedAt)
{
    internal static PsaPublishedCommand Parse(string topic, string payload, DateTimeOffset receivedAt)
    {
        var service = PsaTopics.ServiceOf(topic) ?? "";
        try
        {
            using var document = JsonDocument.Parse(payload);
            return new PsaPublishedCommand(topic, service, document.RootElement.Clone(), receivedAt);
        }
        catch (JsonException)
        {
            return new PsaPublishedCommand(topic, service, null, receivedAt);
        }
    }

    /// <summary>The envelope carries a remote token; keep it out of test output and logs.</summary>
    public override string ToString() => $"{Topic} at {ReceivedAt:O}";
}

/// <summary>The broker's topic layout.</summary>
public static class PsaTopics
{
    public const string CommandPrefix = "psa/RemoteServices/from/cid/";
    public const string ReplyPrefix = "psa/RemoteServices/to/cid/";
    public const string EventPrefix = "psa/RemoteServices/events/MPHRTServices/";

    public static string Command(string customerId, string service) => CommandPrefix + customerId + service;

    public static string Reply(string customerId, string service) => ReplyPrefix + customerId + service;

    public static string Event(string vin) => EventPrefix + vin;

    internal static string? CustomerIdOf(string commandTopic) => Split(commandTopic)?.CustomerId;

    internal static string? ServiceOf(string commandTopic) => Split(commandTopic)?.Service;

    private static (string CustomerId, string Service)? Split(string topic)
    {
        if (!topic.StartsWith(CommandPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = topic[CommandPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? null : (rest[..slash], rest[slash..]);
    }
}
