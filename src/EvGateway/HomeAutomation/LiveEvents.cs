using System.Threading.Channels;
using EvGateway.Accounts;
using EvGateway.Charging.Control;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;

namespace EvGateway.HomeAutomation;

/// <summary>
/// Fans the gateway's news (a new status, a command's outcome, a changed charge control, an account's new state) out
/// to every event-stream reader. Each reader has a
/// small queue of its own that drops its oldest events when the reader falls behind, so a slow or stalled reader
/// costs a bounded amount of memory and never holds up the others. Nothing here asks a cloud: it only relays what
/// the status cache, the command door, the charge-control store and the account watch raise.
/// </summary>
public sealed class LiveEvents : IDisposable
{
    /// <summary>Events one reader may have waiting before its oldest ones are dropped.</summary>
    public const int ReaderCapacity = 64;

    private readonly VehicleStatusCache cache;
    private readonly VehicleCommands commands;
    private readonly StatusDocuments documents;
    private readonly ChargeControlStore chargeControlStore;
    private readonly ChargeControlService chargeControl;
    private readonly AccountChanges accounts;
    private readonly Lock gate = new();
    private LiveEventReader[] readers = [];

    public LiveEvents(VehicleStatusCache cache, VehicleCommands commands, StatusDocuments documents, ChargeControlStore chargeControlStore,
        ChargeControlService chargeControl, AccountChanges accounts)
    {
        this.cache = cache;
        this.commands = commands;
        this.documents = documents;
        this.chargeControlStore = chargeControlStore;
        this.chargeControl = chargeControl;
        this.accounts = accounts;
        cache.StatusChanged += OnStatus;
        commands.Sent += OnCommand;
        chargeControlStore.Changed += OnChargeControl;
        accounts.Changed += OnAccount;
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

    private void OnChargeControl(string vin) =>
        Publish(new LiveEvent("chargeControl", vin, documents.Document(chargeControl.Current(vin))));

    // An account is about no one car: every reader gets it, whichever car it follows.
    private void OnAccount(AccountStatus status) => Publish(new LiveEvent("account", LiveEvent.AnyCar, documents.Document(status)));

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
        chargeControlStore.Changed -= OnChargeControl;
        accounts.Changed -= OnAccount;
    }
}

/// <summary>One server-sent event: its name, the car it is about (<see cref="AnyCar"/> for news of no one car), and its JSON data.</summary>
public sealed record LiveEvent(string Name, string Vin, string Data)
{
    /// <summary>The <see cref="Vin"/> of an event every reader gets (an account's state).</summary>
    public const string AnyCar = "*";
}

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
        if (vin is null || live.Vin == LiveEvent.AnyCar || string.Equals(vin, live.Vin, StringComparison.OrdinalIgnoreCase))
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
