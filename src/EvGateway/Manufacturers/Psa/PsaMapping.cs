using System.Xml;
using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Vehicles;

namespace EvGateway.Manufacturers.Psa;

/// <summary>Turns the cloud's status and the broker's events into the brand-neutral <see cref="VehicleStatus"/>.</summary>
internal static class PsaMapping
{
    public static VehicleStatus ToStatus(Vehicle vehicle, PsaStatusDto dto, DateTimeOffset fetchedAt)
    {
        var electric = dto.Energy?.FirstOrDefault(e => string.Equals(e?.Type, "Electric", StringComparison.OrdinalIgnoreCase));
        var charging = electric?.Charging;
        var nextDelayedStart = ParseTimeOfDay(charging?.NextDelayedTime);
        var chargeState = ToChargeState(charging?.Status, nextDelayedStart);
        var airConditioning = (dto.Preconditioning ?? dto.PreconditioningOldSpelling)?.AirConditioning;

        return new VehicleStatus
        {
            Vin = vehicle.Vin,
            Brand = vehicle.Brand,
            Model = vehicle.Model,
            BatteryLevel = electric?.Level,
            RangeKm = electric?.Autonomy,
            PlugState = ToPlugState(charging?.Plugged, charging?.Status),
            ChargeState = chargeState,
            ChargeRemainingMinutes = chargeState == ChargeState.Charging ? ParseMinutes(charging?.RemainingTime) : null,
            ChargeRateKmPerHour = chargeState == ChargeState.Charging ? charging?.ChargingRate : null,
            OdometerKm = dto.Odometer?.Mileage,
            Location = SharesPosition(dto.Privacy?.State) ? ToLocation(dto.LastPosition) : null,
            Climate = ToClimate(airConditioning?.Status),
            AuxBatteryLevel = dto.Battery?.Voltage,
            BatteryHealthPercent = electric?.Battery?.Health?.Resistance,
            NextDelayedChargeStart = nextDelayedStart,
            ExternalTemperatureC = dto.Environment?.Air?.Temp,
            Locked = ToLocked(dto.DoorsState?.LockedState),
            Moving = dto.Kinetic?.Moving,
            UpdatedAt = Latest(dto.UpdatedAt, electric?.UpdatedAt, dto.CreatedAt),
            FetchedAt = fetchedAt,
        };
    }

    /// <summary>Merges a car event (`psa/RemoteServices/events/MPHRTServices/&lt;VIN&gt;`) into the last known status.</summary>
    public static VehicleStatus Merge(VehicleStatus known, PsaCarEvent carEvent, DateTimeOffset receivedAt)
    {
        var charging = carEvent.ChargingState;
        var energy = carEvent.EnergyLevel;
        var nextDelayedStart = charging?.NextDelayedTime is { } next ? ParseTimeOfDay(next) : known.NextDelayedChargeStart;
        var chargeState = charging?.Status is { } status ? ToChargeState(status, nextDelayedStart) : known.ChargeState;
        return known with
        {
            BatteryLevel = energy?.Level ?? known.BatteryLevel,
            RangeKm = energy?.Autonomy ?? known.RangeKm,
            PlugState = charging is null ? known.PlugState : ToPlugState(charging.Plugged, charging.Status),
            ChargeState = chargeState,
            ChargeRemainingMinutes = chargeState == ChargeState.Charging
                ? charging?.RemainingTime ?? known.ChargeRemainingMinutes
                : null,
            NextDelayedChargeStart = nextDelayedStart,
            UpdatedAt = carEvent.Date ?? known.UpdatedAt,
            FetchedAt = receivedAt,
            Stale = false,
        };
    }

    public static PlugState ToPlugState(bool? plugged, string? chargeStatus) => plugged switch
    {
        true => PlugState.Plugged,
        false => PlugState.Unplugged,
        null when string.Equals(chargeStatus, "Disconnected", StringComparison.OrdinalIgnoreCase) => PlugState.Unplugged,
        null => PlugState.Unknown,
    };

    public static ChargeState ToChargeState(string? status, TimeOnly? nextDelayedStart) => status?.ToLowerInvariant() switch
    {
        "inprogress" => ChargeState.Charging,
        "disconnected" => ChargeState.NotCharging,
        // A stopped car with a delayed start is waiting for its hour, not done.
        "stopped" => nextDelayedStart is null ? ChargeState.NotCharging : ChargeState.Waiting,
        "finished" => ChargeState.Ended,
        "failure" => ChargeState.Error,
        _ => ChargeState.Unknown,
    };

    /// <summary>"PT22H30M" (the car's next delayed start as a duration since local midnight) → 22:30.</summary>
    public static TimeOnly? ParseTimeOfDay(string? isoDuration) =>
        TryParseDuration(isoDuration) is { } duration && duration >= TimeSpan.Zero
            ? TimeOnly.FromTimeSpan(TimeSpan.FromTicks(duration.Ticks % TimeSpan.TicksPerDay))
            : null;

    public static int? ParseMinutes(string? isoDuration) =>
        TryParseDuration(isoDuration) is { } duration ? (int)Math.Ceiling(duration.TotalMinutes) : null;

    private static TimeSpan? TryParseDuration(string? isoDuration)
    {
        if (string.IsNullOrWhiteSpace(isoDuration))
        {
            return null;
        }

        try
        {
            return XmlConvert.ToTimeSpan(isoDuration);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool SharesPosition(string? privacyState) =>
        privacyState is null || string.Equals(privacyState, "None", StringComparison.OrdinalIgnoreCase);

    private static VehicleLocation? ToLocation(PsaPositionDto? position)
    {
        // GeoJSON order: [longitude, latitude, altitude].
        var coordinates = position?.Geometry?.Coordinates;
        if (coordinates is not { Count: >= 2 } || coordinates[0] is not { } longitude || coordinates[1] is not { } latitude)
        {
            return null;
        }

        var altitude = coordinates.Count > 2 ? coordinates[2] : null;
        return new VehicleLocation(latitude, longitude, altitude, position?.Properties?.UpdatedAt);
    }

    private static ClimateStatus? ToClimate(string? status) => status?.ToLowerInvariant() switch
    {
        null => null,
        "enabled" => new ClimateStatus(true),
        _ => new ClimateStatus(false),
    };

    private static bool? ToLocked(IReadOnlyList<string?>? lockedState)
    {
        if (lockedState is not { Count: > 0 })
        {
            return null;
        }

        if (lockedState.Any(s => string.Equals(s, "Unlocked", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return lockedState.Any(s => s is not null && s.Contains("Locked", StringComparison.OrdinalIgnoreCase)) ? true : null;
    }

    private static DateTimeOffset? Latest(params DateTimeOffset?[] instants) => instants.Max();
}
