using System.Text.Json.Nodes;
using EvGateway.Vehicles;

namespace EvGateway.HomeAutomation.Abrp;

/// <summary>
/// One reading in ABRP's telemetry shape (Iternio's <c>tlm</c>): <c>utc</c> (the car's time of the reading, Unix
/// seconds) and <c>soc</c> always, the rest only when the car reported it. Power is negative while charging, as ABRP
/// counts power into the battery.
/// </summary>
public static class AbrpTelemetry
{
    /// <summary>The reading, or null when the status has no state of charge (ABRP has no use for it).</summary>
    public static JsonObject? From(VehicleStatus status)
    {
        if (status.BatteryLevel is not { } soc)
        {
            return null;
        }

        var charging = status.ChargeState == ChargeState.Charging;
        var tlm = new JsonObject
        {
            ["utc"] = ReadingTime(status).ToUnixTimeSeconds(),
            ["soc"] = soc,
            ["is_charging"] = charging,
        };
        if (charging && status.ChargePowerKw is { } power)
        {
            tlm["power"] = -power;
        }

        if (status.Location is { } location)
        {
            tlm["lat"] = location.Latitude;
            tlm["lon"] = location.Longitude;
            if (location.Altitude is { } elevation)
            {
                tlm["elevation"] = elevation;
            }
        }

        if (status.Moving is { } moving)
        {
            tlm["is_parked"] = !moving;
        }

        if (status.RangeKm is { } range)
        {
            tlm["est_battery_range"] = range;
        }

        if (status.OdometerKm is { } odometer)
        {
            tlm["odometer"] = odometer;
        }

        if (status.ExternalTemperatureC is { } outside)
        {
            tlm["ext_temp"] = outside;
        }

        return tlm;
    }

    /// <summary>When the car took the reading; the gateway's fetch time when the car gave none.</summary>
    public static DateTimeOffset ReadingTime(VehicleStatus status) => status.UpdatedAt ?? status.FetchedAt;
}
