using System.Threading.Channels;
using EvGateway.Vehicles;

namespace EvGateway.HomeAutomation;

/// <summary>
/// Fans the core's news (a new status, a command's outcome) out to every event-stream reader. Each reader has a
/// small queue of its own that drops its oldest events when the reader falls behind, so a slow or stalled reader
/// costs a bounded amount of memory and never holds up the others. Nothing here asks a cloud: it only relays what
/// the status cache and the command door raise.
/// </summary>
public sealed class LiveEvents : IDisposable
{
    /// <summary>Events one reader may have waiting before its oldest ones are dropped.</summary>
    public const int ReaderCapacity = 64;

    private readonly VehicleStatusCache cache;
    private readonly VehicleCommands commands;
    private readonly StatusDocuments documents;
    private readonly Lock gate = new();
    private LiveEventReader[] readers = [];

    public LiveEvents(VehicleStatusCache cache, VehicleCommands commands, StatusDocuments documents)
    {
        this.cache = cache;
        this.commands = commands;
        this.documents = documents;
        cache.StatusChanged += OnStatus;
        commands.Sent += OnCommand;
    }

    /// <summary>A new reader of every car's events, or of one car's when <paramref name="vin"/> is given.</summary>
    public LiveEventReader Subscribe(string? vin)
    {
        var reader = new LiveEventReader(vin, Unsubscribe);
        lock (gate)
        {
            readers = [.. readers, reader];
        }

        return reader;
    }

    /// <summary>How many readers are subscribed now.</summary>
    public int ReaderCount => readers.Length;

    private void Unsubscribe(LiveEventReader reader)
    {
        lock (gate)
        {
            readers = readers.Where(r => !ReferenceEquals(r, reader)).ToArray();
        }
    }

    private void OnStatus(VehicleStatus status) => Publish(new LiveEvent("status", status.Vin, documents.Status(status)));

    private void OnCommand(CommandSent sent) => Publish(new LiveEvent("command", sent.Vin, documents.Command(sent)));

    private void Publish(LiveEvent live)
    {
        foreach (var reader in readers)
        {
            reader.Offer(live);
        }
    }

    public void Dispose()
    {
        cache.StatusChanged -= OnStatus;
        commands.Sent -= OnCommand;
    }
}

/// <summary>One server-sent event: its name, the car it is about, and its JSON data.</summary>
public sealed record LiveEvent(string Name, string Vin, string Data);

/// <summary>One reader's bounded queue of events; disposing it unsubscribes.</summary>
public sealed class LiveEventReader : IDisposable
{
    private readonly string? vin;
    private readonly Action<LiveEventReader> unsubscribe;
    private readonly Channel<LiveEvent> queue = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(LiveEvents.ReaderCapacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    internal LiveEventReader(string? vin, Action<LiveEventReader> unsubscribe)
    {
        this.vin = vin;
        this.unsubscribe = unsubscribe;
    }

    public ChannelReader<LiveEvent> Events => queue.Reader;

    internal void Offer(LiveEvent live)
    {
        if (vin is null || string.Equals(vin, live.Vin, StringComparison.OrdinalIgnoreCase))
        {
            queue.Writer.TryWrite(live);
        }
    }

    public void Dispose()
    {
        unsubscribe(this);
        queue.Writer.TryComplete();
    }
}
