using EvGateway.Vehicles;

namespace EvGateway.History;

/// <summary>
/// One recorded status of a car, keyed by the car's own timestamp <c>At</c> (so the same data read twice is one
/// sample); <c>FetchedAt</c> is when the gateway got it.
/// </summary>
public sealed record HistorySample(
    string Vin,
    DateTimeOffset At,
    DateTimeOffset FetchedAt,
    double? BatteryLevel,
    double? RangeKm,
    double? OdometerKm,
    PlugState PlugState,
    ChargeState ChargeState,
    double? ChargePowerKw,
    double? Latitude,
    double? Longitude)
{
    /// <summary>
    /// The sample a status gives, or null when it cannot be placed in time (no car timestamp) or repeats old data
    /// (a stale status served while the cloud was unreachable).
    /// </summary>
    public static HistorySample? From(VehicleStatus status) => status is { UpdatedAt: { } at, Stale: false }
        ? new HistorySample(status.Vin.ToUpperInvariant(), at, status.FetchedAt, status.BatteryLevel, status.RangeKm, status.OdometerKm,
            status.PlugState, status.ChargeState, status.ChargePowerKw, status.Location?.Latitude, status.Location?.Longitude)
        {
            BatteryHealthPercent = status.BatteryHealthPercent,
        }
        : null;

    /// <summary>The battery's state of health the status carried; kept apart, in the battery_health table.</summary>
    public double? BatteryHealthPercent { get; init; }

    public bool HasPosition => Latitude is not null && Longitude is not null;
}
