using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvGateway.Manufacturers.Psa;

// The cloud's shapes. Every member is optional because any field can be missing on any car (psa.md §2);
// unknown members are ignored by System.Text.Json.

internal static class PsaJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

internal sealed record PsaTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn)
{
    // A record prints its members: this one must never print its tokens into a log or an assertion message.
    public override string ToString() => $"{nameof(PsaTokenResponse)} {{ ExpiresIn = {ExpiresIn} }}";
}

internal sealed record PsaErrorResponse([property: JsonPropertyName("error")] string? Error);

/// <param name="Customer">"AP-ACNT...": the customer id the MQTT topics carry.</param>
internal sealed record PsaCarAssociationDto(string? Customer);

internal sealed record PsaVehicleList([property: JsonPropertyName("_embedded")] PsaVehicleListEmbedded? Embedded);

internal sealed record PsaVehicleListEmbedded(IReadOnlyList<PsaVehicleDto>? Vehicles);

internal sealed record PsaVehicleDto(string? Id, string? Vin, string? Brand, string? Label);

internal sealed record PsaStatusDto(
    IReadOnlyList<PsaEnergyDto>? Energy,
    PsaPositionDto? LastPosition,
    PsaOdometerDto? Odometer,
    PsaPreconditioningDto? Preconditioning,
    [property: JsonPropertyName("preconditionning")] PsaPreconditioningDto? PreconditioningOldSpelling,
    PsaBatteryDto? Battery,
    PsaKineticDto? Kinetic,
    PsaPrivacyDto? Privacy,
    PsaDoorsStateDto? DoorsState,
    PsaEnvironmentDto? Environment,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? CreatedAt);

internal sealed record PsaEnergyDto(string? Type, double? Level, double? Autonomy, DateTimeOffset? UpdatedAt, PsaChargingDto? Charging,
    PsaEnergyBatteryDto? Battery);

/// <summary>The traction battery of an energy entry; psa_car_controller takes <c>health.resistance</c> as the state of health.</summary>
internal sealed record PsaEnergyBatteryDto(PsaBatteryHealthDto? Health);

internal sealed record PsaBatteryHealthDto(double? Resistance);

internal sealed record PsaChargingDto(
    bool? Plugged,
    string? Status,
    string? RemainingTime,
    double? ChargingRate,
    string? ChargingMode,
    string? NextDelayedTime);

internal sealed record PsaPositionDto(PsaGeometryDto? Geometry, PsaPositionPropertiesDto? Properties);

internal sealed record PsaGeometryDto(IReadOnlyList<double?>? Coordinates);

internal sealed record PsaPositionPropertiesDto(DateTimeOffset? UpdatedAt);

internal sealed record PsaOdometerDto(double? Mileage);

internal sealed record PsaPreconditioningDto(PsaAirConditioningDto? AirConditioning);

internal sealed record PsaAirConditioningDto(string? Status);

internal sealed record PsaBatteryDto(double? Voltage);

internal sealed record PsaKineticDto(bool? Moving);

internal sealed record PsaPrivacyDto(string? State);

internal sealed record PsaDoorsStateDto(IReadOnlyList<string?>? LockedState);

internal sealed record PsaEnvironmentDto(PsaAirDto? Air);

internal sealed record PsaAirDto(double? Temp);
