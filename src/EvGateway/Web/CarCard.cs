using System.Globalization;
using EvGateway.Charging.Control;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;

namespace EvGateway.Web;

/// <summary>
/// One car on the dashboard: what it is and can do, its last known status (null before any was read), its charge
/// control and its price chart. Built from memory only: the cache, the stored settings and the tariff.
/// </summary>
public sealed record CarCard(Vehicle Vehicle, VehicleStatus? Status, ChargeControlView ChargeControl, PriceChart? Chart, string? ChartSentence,
    DateTimeOffset Now)
{
    /// <summary>Data older than this gets the stale badge even when the cloud answered: a parked car stops reporting.</summary>
    public static readonly TimeSpan OldAfter = TimeSpan.FromHours(1);

    /// <summary>When the data was produced: the car's own time when it gave one, else when the gateway fetched it.</summary>
    public DateTimeOffset? DataTime => Status is null ? null : Status.UpdatedAt ?? Status.FetchedAt;

    public bool IsStale => Status is { } status && (status.Stale || Now - DataTime > OldAfter);

    /// <summary>When the car is read without anyone asking.</summary>
    public RefreshPolicy RefreshPolicy { get; init; }

    /// <summary>When the gateway next reads the car in the background; null when its policy is <c>never</c>.</summary>
    public DateTimeOffset? NextRefreshAt { get; init; }

    /// <summary>What the owner's last form post on this car did, shown once (the page without script).</summary>
    public CarOutcome? Outcome { get; init; }

    /// <summary>The buttons the car's capabilities allow, in the order they show.</summary>
    public IReadOnlyList<CarButton> Buttons => ButtonsFor(Vehicle);

    public static IReadOnlyList<CarButton> ButtonsFor(Vehicle vehicle) => AllButtons
        .Where(button => vehicle.Has(VehicleCommands.RequiredCapability(button.Kind)))
        .ToList();

    public string? MapLink => Status?.Location is { } at
        ? string.Create(CultureInfo.InvariantCulture, $"https://www.openstreetmap.org/?mlat={at.Latitude:0.#####}&mlon={at.Longitude:0.#####}#map=16/{at.Latitude:0.#####}/{at.Longitude:0.#####}")
        : null;

    private static readonly CarButton[] AllButtons =
    [
        new("charge-start", "Start charging", VehicleCommandKind.ChargeStart),
        new("charge-stop", "Stop charging", VehicleCommandKind.ChargeStop),
        new("climate-start", "Start climate", VehicleCommandKind.ClimateStart),
        new("climate-stop", "Stop climate", VehicleCommandKind.ClimateStop),
        new("wake-up", "Wake up", VehicleCommandKind.WakeUp),
    ];

    public static string PlugWords(PlugState state) => state switch
    {
        PlugState.Plugged => "Plugged in",
        PlugState.Unplugged => "Unplugged",
        PlugState.Error => "Plug fault",
        _ => "Plug state unknown",
    };

    public static string ChargeWords(ChargeState state) => state switch
    {
        ChargeState.Charging => "Charging",
        ChargeState.NotCharging => "Not charging",
        ChargeState.Waiting => "Waiting to charge",
        ChargeState.Ended => "Charge ended",
        ChargeState.Error => "Charge fault",
        _ => "Charge state unknown",
    };

    /// <summary>"just now", "3 min ago", "2 h ago", "4 days ago": the page's script writes the same words as time passes.</summary>
    public static string Age(TimeSpan age) => age.TotalMinutes switch
    {
        < 1 => "just now",
        < 60 => $"{(int)age.TotalMinutes} min ago",
        < 48 * 60 => $"{(int)age.TotalHours} h ago",
        _ => $"{(int)age.TotalDays} days ago",
    };

    public static string Number(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Minutes(int minutes) => minutes < 60 ? $"{minutes} min" : $"{minutes / 60} h {minutes % 60:00} min";
}

/// <summary>A command button: the REST route's name of the command (charge-stop), its words, and the command.</summary>
public sealed record CarButton(string Command, string Label, VehicleCommandKind Kind);
