using EvGateway.Vehicles;

namespace EvGateway.Manufacturers.Renault;

/// <summary>Kamereon's car reads → the brand-neutral <see cref="VehicleStatus"/> (codes per renault.md §2).</summary>
internal static class RenaultMapping
{
    // No car charges faster than this; a larger "kW" value can only be watts.
    private const double MaxPlausibleKw = 400;

    public static VehicleStatus ToStatus(Vehicle vehicle, RenaultModel model, DateTimeOffset fetchedAt,
        BatteryStatusAttributes? battery, CockpitAttributes? cockpit, LocationAttributes? location, HvacStatusAttributes? hvac)
    {
        var chargeState = ToChargeState(battery?.ChargingStatus);
        return new VehicleStatus
        {
            Vin = vehicle.Vin,
            Brand = vehicle.Brand,
            Model = vehicle.Model,
            BatteryLevel = battery?.BatteryLevel,
            RangeKm = battery?.BatteryAutonomy,
            PlugState = ToPlugState(battery?.PlugStatus),
            ChargeState = chargeState,
            ChargePowerKw = ToKilowatts(battery?.ChargingInstantaneousPower, model.ReportsPowerInWatts),
            ChargeRemainingMinutes = chargeState == ChargeState.Charging && battery?.ChargingRemainingTime is { } minutes
                ? (int)Math.Round(minutes)
                : null,
            OdometerKm = cockpit?.TotalMileage,
            Location = location is { GpsLatitude: { } latitude, GpsLongitude: { } longitude }
                ? new VehicleLocation(latitude, longitude, null, location.LastUpdateTime)
                : null,
            Climate = hvac?.HvacStatus is { } climate ? new ClimateStatus(string.Equals(climate, "on", StringComparison.OrdinalIgnoreCase)) : null,
            ExternalTemperatureC = hvac?.ExternalTemperature,
            UpdatedAt = battery?.Timestamp ?? location?.LastUpdateTime,
            FetchedAt = fetchedAt,
        };
    }

    public static PlugState ToPlugState(int? plugStatus) => plugStatus switch
    {
        0 => PlugState.Unplugged,
        1 => PlugState.Plugged,
        -1 => PlugState.Error,
        _ => PlugState.Unknown,
    };

    // Codes are decimals like 0.3 and 1.0 that arrive as JSON numbers; compare them in tenths.
    public static ChargeState ToChargeState(double? chargingStatus) => chargingStatus is { } code
        ? (int)Math.Round(code * 10) switch
        {
            0 => ChargeState.NotCharging,
            1 or 3 => ChargeState.Waiting,
            2 => ChargeState.Ended,
            4 => ChargeState.NotCharging,
            10 => ChargeState.Charging,
            -10 => ChargeState.Error,
            _ => ChargeState.Unknown,
        }
        : ChargeState.Unknown;

    public static double? ToKilowatts(double? power, bool reportsWatts) => power switch
    {
        null => null,
        { } watts when reportsWatts || watts > MaxPlausibleKw => Math.Round(watts / 1000, 3),
        { } kilowatts => kilowatts,
    };
}
