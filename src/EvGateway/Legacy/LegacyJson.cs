using System.Text.Encodings.Web;
using System.Text.Json;
using EvGateway.Vehicles;

namespace EvGateway.Legacy;

/// <summary>Serialisation of the legacy surface: names as written on the records, nulls kept (clients index into them).</summary>
public static class LegacyJson
{
    // Python's json.dumps writes "+00:00" as is; the default encoder's \u002B would break scripts that grep the body.
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Error(int status, string message) => TypedResults.Json(new LegacyError(message), Options, statusCode: status);
}

public sealed record LegacyError([property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error);

public sealed record LegacyPositionAnswer(
    [property: System.Text.Json.Serialization.JsonPropertyName("longitude")] double Longitude,
    [property: System.Text.Json.Serialization.JsonPropertyName("latitude")] double Latitude,
    [property: System.Text.Json.Serialization.JsonPropertyName("altitude")] double? Altitude,
    [property: System.Text.Json.Serialization.JsonPropertyName("url")] string Url);

/// <summary>One entry of /get_vehicles (battery kWh, fuel litres, kWh/100 km, L/100 km).</summary>
public sealed record LegacyVehicle(
    [property: System.Text.Json.Serialization.JsonPropertyName("vin")] string Vin,
    [property: System.Text.Json.Serialization.JsonPropertyName("vehicle_id")] string VehicleId,
    [property: System.Text.Json.Serialization.JsonPropertyName("label")] string Label,
    [property: System.Text.Json.Serialization.JsonPropertyName("brand")] string Brand,
    [property: System.Text.Json.Serialization.JsonPropertyName("abrp_name")] string AbrpName,
    [property: System.Text.Json.Serialization.JsonPropertyName("battery_power")] double BatteryPower,
    [property: System.Text.Json.Serialization.JsonPropertyName("fuel_capacity")] double FuelCapacity,
    [property: System.Text.Json.Serialization.JsonPropertyName("max_elec_consumption")] double MaxElecConsumption,
    [property: System.Text.Json.Serialization.JsonPropertyName("max_fuel_consumption")] double MaxFuelConsumption)
{
    public static LegacyVehicle From(Vehicle vehicle) => new(
        vehicle.Vin,
        vehicle.MakerVehicleId ?? vehicle.Vin,
        vehicle.Model,
        vehicle.Brand,
        AbrpKey(vehicle),
        vehicle.BatteryCapacityKwh ?? 0,
        0,
        vehicle.IsElectric ? 17 : 0,
        0);

    // ABRP's car model keys, as the old bridge wrote them: brand:model in lower case.
    private static string AbrpKey(Vehicle vehicle) =>
        $"{vehicle.Brand}:{vehicle.Model}".ToLowerInvariant().Replace(' ', '_');
}
