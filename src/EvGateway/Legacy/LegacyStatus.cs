using System.Globalization;
using System.Text.Json.Serialization;
using EvGateway.Vehicles;

namespace EvGateway.Legacy;

/// <summary>
/// The status body psa_car_controller's /get_vehicleinfo sends, field for field: snake_case, Python-style datetimes
/// ("2026-07-08 15:49:03+00:00"), and every key present (null when unknown) so that a client's path never dangles.
/// </summary>
public sealed record LegacyStatus(
    [property: JsonPropertyName("embedded")] object? Embedded,
    [property: JsonPropertyName("links")] Dictionary<string, object> Links,
    [property: JsonPropertyName("battery")] LegacyAuxBattery Battery,
    [property: JsonPropertyName("doors_state")] LegacyDoors? DoorsState,
    [property: JsonPropertyName("energy")] LegacyEnergy[] Energy,
    [property: JsonPropertyName("environment")] Dictionary<string, object> Environment,
    [property: JsonPropertyName("ignition")] LegacyTyped Ignition,
    [property: JsonPropertyName("kinetic")] LegacyKinetic Kinetic,
    [property: JsonPropertyName("last_position")] LegacyPosition? LastPosition,
    [property: JsonPropertyName("preconditionning")] LegacyPreconditioning Preconditionning,
    [property: JsonPropertyName("privacy")] LegacyPrivacy Privacy,
    [property: JsonPropertyName("safety")] object? Safety,
    [property: JsonPropertyName("service")] LegacyService Service,
    [property: JsonPropertyName("timed_odometer")] LegacyOdometer TimedOdometer)
{
    public static LegacyStatus From(VehicleStatus status, Vehicle vehicle)
    {
        var updated = PythonTime(status.UpdatedAt);
        var energy = vehicle.IsElectric
            ? new[] { Electric(status, vehicle, updated) }
            : [];
        return new LegacyStatus(
            Embedded: null,
            Links: [],
            Battery: new LegacyAuxBattery(null, status.AuxBatteryLevel),
            DoorsState: status.Locked is { } locked ? new LegacyDoors([locked ? "Locked" : "Unlocked"]) : null,
            Energy: energy,
            Environment: status.ExternalTemperatureC is { } outside ? new() { ["air"] = new { temp = outside } } : [],
            Ignition: new LegacyTyped(status.Moving is true ? "StartUp" : "Stop"),
            Kinetic: new LegacyKinetic(status.Moving ?? false),
            LastPosition: status.Location is { } at
                ? new LegacyPosition("Feature", new LegacyGeometry("Point", [at.Longitude, at.Latitude, at.Altitude]),
                    new LegacyPositionProperties(null, null, "Acquire", PythonTime(at.UpdatedAt)))
                : null,
            Preconditionning: new LegacyPreconditioning(new LegacyAirConditioning(status.Climate is null ? null : status.Climate.Active ? "Enabled" : "Disabled")),
            Privacy: new LegacyPrivacy("None"),
            Safety: null,
            Service: new LegacyService(vehicle.IsElectric ? "Electric" : "Fuel", null),
            TimedOdometer: new LegacyOdometer(status.OdometerKm, updated));
    }

    private static LegacyEnergy Electric(VehicleStatus status, Vehicle vehicle, string? updated) => new(
        Type: "Electric",
        Level: status.BatteryLevel,
        Autonomy: status.RangeKm,
        Residual: null,
        Consumption: null,
        UpdatedAt: updated,
        CreatedAt: updated,
        Battery: new LegacyTractionBattery(vehicle.BatteryCapacityKwh, new LegacyBatteryHealth(null, null)),
        Charging: new LegacyCharging(
            Plugged: status.PlugState == PlugState.Plugged,
            Status: ChargingStatus(status),
            RemainingTime: status.ChargeState == ChargeState.Charging && status.ChargeRemainingMinutes is { } minutes
                ? IsoDuration(TimeSpan.FromMinutes(minutes))
                : null,
            ChargingRate: ChargingRateKmPerHour(status, vehicle),
            ChargingMode: status.ChargeState != ChargeState.Charging ? "No" : status.ChargePowerKw >= 22 ? "Quick" : "Slow",
            NextDelayedTime: status.NextDelayedChargeStart is { } at ? IsoDuration(at.ToTimeSpan()) : null));

    /// <summary>PSA's vocabulary: InProgress, Disconnected, Stopped, Finished, Failure.</summary>
    public static string ChargingStatus(VehicleStatus status) => status.ChargeState switch
    {
        ChargeState.Charging => "InProgress",
        ChargeState.Ended => "Finished",
        ChargeState.Error => "Failure",
        _ when status.PlugState == PlugState.Unplugged => "Disconnected",
        _ => "Stopped",
    };

    // PSA reports km of range gained per hour; other makers' power is turned into it with the car's own range per kWh.
    private static double ChargingRateKmPerHour(VehicleStatus status, Vehicle vehicle)
    {
        if (status.ChargeState == ChargeState.Charging && status.ChargeRateKmPerHour is { } reported)
        {
            return reported;
        }

        if (status.ChargeState != ChargeState.Charging || status.ChargePowerKw is not > 0 || status.RangeKm is not > 0
            || status.BatteryLevel is not > 0 || vehicle.BatteryCapacityKwh is not > 0)
        {
            return 0;
        }

        var kmPerKwh = status.RangeKm.Value / (status.BatteryLevel.Value / 100 * vehicle.BatteryCapacityKwh.Value);
        return Math.Round(status.ChargePowerKw.Value * kmPerKwh);
    }

    /// <summary>ISO-8601 duration in whole minutes, as PSA writes them: PT1H25M, PT45M, PT22H.</summary>
    public static string IsoDuration(TimeSpan span)
    {
        var minutes = (long)Math.Round(Math.Max(0, span.TotalMinutes));
        var (hours, rest) = (minutes / 60, minutes % 60);
        return hours == 0 ? $"PT{rest}M" : rest == 0 ? $"PT{hours}H" : $"PT{hours}H{rest}M";
    }

    /// <summary>Python's str(datetime) of an aware time: space between date and time, offset always present.</summary>
    public static string? PythonTime(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture);
}

public sealed record LegacyAuxBattery([property: JsonPropertyName("current")] double? Current, [property: JsonPropertyName("voltage")] double? Voltage);

public sealed record LegacyDoors([property: JsonPropertyName("locked_state")] string[] LockedState);

public sealed record LegacyEnergy(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("level")] double? Level,
    [property: JsonPropertyName("autonomy")] double? Autonomy,
    [property: JsonPropertyName("residual")] double? Residual,
    [property: JsonPropertyName("consumption")] double? Consumption,
    [property: JsonPropertyName("updated_at")] string? UpdatedAt,
    [property: JsonPropertyName("created_at")] string? CreatedAt,
    [property: JsonPropertyName("battery")] LegacyTractionBattery Battery,
    [property: JsonPropertyName("charging")] LegacyCharging Charging);

public sealed record LegacyTractionBattery([property: JsonPropertyName("capacity")] double? Capacity, [property: JsonPropertyName("health")] LegacyBatteryHealth Health);

public sealed record LegacyBatteryHealth([property: JsonPropertyName("capacity")] double? Capacity, [property: JsonPropertyName("resistance")] double? Resistance);

public sealed record LegacyCharging(
    [property: JsonPropertyName("plugged")] bool Plugged,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("remaining_time")] string? RemainingTime,
    [property: JsonPropertyName("charging_rate")] double ChargingRate,
    [property: JsonPropertyName("charging_mode")] string ChargingMode,
    [property: JsonPropertyName("next_delayed_time")] string? NextDelayedTime);

public sealed record LegacyTyped([property: JsonPropertyName("type")] string? Type);

public sealed record LegacyKinetic([property: JsonPropertyName("moving")] bool Moving);

public sealed record LegacyPosition(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("geometry")] LegacyGeometry Geometry,
    [property: JsonPropertyName("properties")] LegacyPositionProperties Properties);

public sealed record LegacyGeometry([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("coordinates")] double?[] Coordinates);

public sealed record LegacyPositionProperties(
    [property: JsonPropertyName("heading")] double? Heading,
    [property: JsonPropertyName("signal_quality")] double? SignalQuality,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("updated_at")] string? UpdatedAt);

public sealed record LegacyPreconditioning([property: JsonPropertyName("air_conditioning")] LegacyAirConditioning AirConditioning);

public sealed record LegacyAirConditioning([property: JsonPropertyName("status")] string? Status);

public sealed record LegacyPrivacy([property: JsonPropertyName("state")] string State);

public sealed record LegacyService([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("updated_at")] string? UpdatedAt);

public sealed record LegacyOdometer([property: JsonPropertyName("mileage")] double? Mileage, [property: JsonPropertyName("updated_at")] string? UpdatedAt);
