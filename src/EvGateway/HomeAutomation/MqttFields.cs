using System.Globalization;
using System.Text.Json;
using EvGateway.Vehicles;

namespace EvGateway.HomeAutomation;

/// <summary>
/// The retained per-field topics <c>&lt;prefix&gt;/&lt;vin&gt;/&lt;field&gt;</c> (design.md's list) and their plain-text
/// values: numbers with a dot, booleans as true/false, states as in the status JSON, times in ISO 8601. A value the
/// car did not report is "None", which Home Assistant shows as unknown.
/// </summary>
public static class MqttFields
{
    public const string BatteryLevel = "battery_level";
    public const string RangeKm = "range_km";
    public const string PlugState = "plug_state";
    public const string ChargeState = "charge_state";
    public const string ChargePowerKw = "charge_power_kw";
    public const string ChargeRemainingMinutes = "charge_remaining_minutes";
    public const string OdometerKm = "odometer_km";
    public const string ClimateActive = "climate_active";
    public const string Stale = "stale";
    public const string UpdatedAt = "updated_at";
    public const string Location = "location";
    public const string ChargeLimit = "charge_limit";
    public const string State = "state";
    public const string Unknown = "None";

    /// <summary>Each field topic's leaf and value.</summary>
    public static IEnumerable<(string Field, string Value)> Of(VehicleStatus status)
    {
        yield return (BatteryLevel, Number(status.BatteryLevel));
        yield return (RangeKm, Number(status.RangeKm));
        yield return (PlugState, JsonName(status.PlugState));
        yield return (ChargeState, JsonName(status.ChargeState));
        yield return (ChargePowerKw, Number(status.ChargePowerKw));
        yield return (ChargeRemainingMinutes, Number(status.ChargeRemainingMinutes));
        yield return (OdometerKm, Number(status.OdometerKm));
        yield return (ClimateActive, status.Climate is { } climate ? Bool(climate.Active) : Unknown);
        yield return (Stale, Bool(status.Stale));
        yield return (UpdatedAt, status.UpdatedAt?.ToString("O", CultureInfo.InvariantCulture) ?? Unknown);
    }

    /// <summary>
    /// The location document Home Assistant's device tracker reads as attributes. The clouds report no accuracy;
    /// 0 is what Home Assistant takes as "exact" rather than rejecting the position.
    /// </summary>
    public static string LocationDocument(VehicleLocation location) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["latitude"] = location.Latitude,
        ["longitude"] = location.Longitude,
        ["gps_accuracy"] = 0,
    });

    private static string Number(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Unknown;

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Unknown;

    private static string Bool(bool value) => value ? "true" : "false";

    private static string JsonName<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value).Trim('"');
}
