using System.Text.Json;

namespace EvGateway.HomeAutomation;

/// <summary>
/// Which retained topics the gateway has published for each car. Retained messages outlive the gateway, so a car that
/// leaves (an account disconnected, demo mode ended, a car sold) would stay in Home Assistant for ever; this record,
/// itself kept retained on the broker under <see cref="MqttOptions.PublishedTopic"/>, lets the gateway clear exactly
/// what it published, even for a car it last saw before a restart.
/// </summary>
public sealed class PublishedCars
{
    private readonly Dictionary<string, SortedSet<string>> topics = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The record as the broker kept it; an unreadable one is treated as empty (nothing to clear).</summary>
    public static PublishedCars Parse(string? json)
    {
        var published = new PublishedCars();
        if (string.IsNullOrWhiteSpace(json))
        {
            return published;
        }

        try
        {
            foreach (var (vin, carTopics) in JsonSerializer.Deserialize<Dictionary<string, string[]>>(json) ?? [])
            {
                published.Add(vin, carTopics);
            }
        }
        catch (JsonException)
        {
            // Someone else's payload on our topic: nothing of it can be trusted to delete.
        }

        return published;
    }

    /// <summary>Notes topics published for a car; true when any of them is new (the record must be republished).</summary>
    public bool Add(string vin, IEnumerable<string> carTopics)
    {
        if (!topics.TryGetValue(vin, out var known))
        {
            known = new SortedSet<string>(StringComparer.Ordinal);
            topics[vin] = known;
        }

        var added = false;
        foreach (var topic in carTopics)
        {
            added |= known.Add(topic);
        }

        return added;
    }

    /// <summary>Adds what another record lists (the broker's record of an earlier session).</summary>
    public void Merge(PublishedCars other)
    {
        foreach (var (vin, carTopics) in other.topics)
        {
            Add(vin, carTopics);
        }
    }

    /// <summary>The cars published before that are not in <paramref name="current"/>, with their topics, now forgotten.</summary>
    public IReadOnlyList<(string Vin, IReadOnlyCollection<string> Topics)> RemoveAllBut(IEnumerable<string> current)
    {
        var keep = current.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var gone = topics.Where(car => !keep.Contains(car.Key))
            .Select(car => (car.Key, (IReadOnlyCollection<string>)car.Value))
            .ToList();
        foreach (var (vin, _) in gone)
        {
            topics.Remove(vin);
        }

        return gone;
    }

    public string ToJson() => JsonSerializer.Serialize(topics.ToDictionary(car => car.Key, car => car.Value.ToArray()));
}
