using System.Text.Json.Serialization;

namespace EvGateway.Vehicles;

/// <summary>One brand-neutral snapshot of a car. Every value the car did not report is null.</summary>
public sealed record VehicleStatus
{
    public required string Vin { get; init; }
    public required string Brand { get; init; }
    public required string Model { get; init; }

    /// <summary>State of charge in percent (0..100).</summary>
    public double? BatteryLevel { get; init; }

    /// <summary>Estimated electric range in kilometres.</summary>
    public double? RangeKm { get; init; }

    public PlugState PlugState { get; init; } = PlugState.Unknown;
    public ChargeState ChargeState { get; init; } = ChargeState.Unknown;
    public double? ChargePowerKw { get; init; }

    /// <summary>Range gained per hour of charging (km/h), where the car reports it (PSA) instead of a power.</summary>
    public double? ChargeRateKmPerHour { get; init; }
    public int? ChargeRemainingMinutes { get; init; }
    public double? OdometerKm { get; init; }
    public VehicleLocation? Location { get; init; }
    public ClimateStatus? Climate { get; init; }

    /// <summary>12 V auxiliary battery level in percent, where the car reports it.</summary>
    public double? AuxBatteryLevel { get; init; }

    /// <summary>Next delayed (scheduled) charge start the car announces, as a time of day in the car's local time.</summary>
    public TimeOnly? NextDelayedChargeStart { get; init; }

    /// <summary>Traction battery state of health in percent, where the car reports it.</summary>
    public double? BatteryHealthPercent { get; init; }

    /// <summary>Outside temperature in °C, where the car reports it.</summary>
    public double? ExternalTemperatureC { get; init; }

    public bool? Locked { get; init; }
    public bool? Moving { get; init; }

    /// <summary>When the car produced this data (the car's own clock).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When the gateway fetched it from the cloud.</summary>
    public DateTimeOffset FetchedAt { get; init; }

    /// <summary>True when the cloud could not be asked (quota, outage) and this is the last known data.</summary>
    public bool Stale { get; init; }

    /// <summary>
    /// Status fields this car was found to lack (its cloud refuses the read: "battery", "odometer", "location",
    /// "climate"); they stay null until the read is tried again a day later. Empty when nothing is known to be missing.
    /// </summary>
    public IReadOnlyList<string> UnknownFields { get; init; } = [];

    /// <summary>The gateway's charge control for this car (threshold, stop time, last failure), when it has one.</summary>
    public ChargeControlSummary? ChargeControl { get; init; }
}

public sealed record VehicleLocation(double Latitude, double Longitude, double? Altitude, DateTimeOffset? UpdatedAt);

public sealed record ClimateStatus(bool Active);

[JsonConverter(typeof(JsonStringEnumConverter<PlugState>))]
public enum PlugState
{
    [JsonStringEnumMemberName("unknown")] Unknown,
    [JsonStringEnumMemberName("plugged")] Plugged,
    [JsonStringEnumMemberName("unplugged")] Unplugged,
    [JsonStringEnumMemberName("error")] Error,
}

[JsonConverter(typeof(JsonStringEnumConverter<ChargeState>))]
public enum ChargeState
{
    [JsonStringEnumMemberName("unknown")] Unknown,
    [JsonStringEnumMemberName("charging")] Charging,
    [JsonStringEnumMemberName("notCharging")] NotCharging,
    [JsonStringEnumMemberName("waiting")] Waiting,
    [JsonStringEnumMemberName("ended")] Ended,
    [JsonStringEnumMemberName("error")] Error,
}
