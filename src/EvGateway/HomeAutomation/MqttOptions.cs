namespace EvGateway.HomeAutomation;

/// <summary>The `Mqtt:*` settings: the owner's own broker for home automation (design.md; the names are fixed).</summary>
public sealed class MqttOptions
{
    public const string SectionName = "Mqtt";

    /// <summary>The broker's host name; empty turns MQTT publishing off.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>The first level of every topic the gateway publishes (`evgateway/status`, `evgateway/&lt;vin&gt;/state`).</summary>
    public string TopicPrefix { get; set; } = "evgateway";

    /// <summary>Where Home Assistant looks for discovery configs.</summary>
    public string DiscoveryPrefix { get; set; } = "homeassistant";

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The retained "online"/"offline" topic (the last will).</summary>
    public string StatusTopic => $"{TopicPrefix}/status";

    /// <summary>The retained record of the topics published per car (<see cref="PublishedCars"/>).</summary>
    public string PublishedTopic => $"{TopicPrefix}/published";

    public string CarTopic(string vin, string leaf) => $"{TopicPrefix}/{vin}/{leaf}";

    /// <summary>Each setting that is wrong, in one line naming its key.</summary>
    public IEnumerable<string> Problems()
    {
        if (Port is < 1 or > 65535)
        {
            yield return $"{SectionName}:Port must be from 1 to 65535, got {Port}.";
        }

        foreach (var (key, prefix) in new[] { (nameof(TopicPrefix), TopicPrefix), (nameof(DiscoveryPrefix), DiscoveryPrefix) })
        {
            if (string.IsNullOrWhiteSpace(prefix) || prefix.IndexOfAny(['+', '#']) >= 0 || prefix.StartsWith('/') || prefix.EndsWith('/'))
            {
                yield return $"{SectionName}:{key} must be a topic level without + or # and without a leading or trailing slash, got '{prefix}'.";
            }
        }
    }
}
