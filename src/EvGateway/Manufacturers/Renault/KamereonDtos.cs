namespace EvGateway.Manufacturers.Renault;

/// <summary>JSON:API envelope of every Kamereon car read and action answer.</summary>
internal sealed record KamereonEnvelope<T>(KamereonData<T>? Data);

internal sealed record KamereonData<T>(string? Type, string? Id, T? Attributes);

internal sealed record KamereonPerson(string? PersonId, IReadOnlyList<KamereonAccount>? Accounts);

internal sealed record KamereonAccount(string? AccountId, string? AccountType, string? AccountStatus);

internal sealed record KamereonVehicles(string? AccountId, IReadOnlyList<KamereonVehicleLink>? VehicleLinks);

internal sealed record KamereonVehicleLink(string? Vin, string? Brand, KamereonVehicleDetails? VehicleDetails);

internal sealed record KamereonVehicleDetails(KamereonLabel? Model, KamereonLabel? Brand, KamereonLabel? Energy, bool? Electrical);

internal sealed record KamereonLabel(string? Code, string? Label);

internal sealed record BatteryStatusAttributes(
    DateTimeOffset? Timestamp,
    double? BatteryLevel,
    double? BatteryAutonomy,
    double? BatteryTemperature,
    double? BatteryAvailableEnergy,
    int? PlugStatus,
    double? ChargingStatus,
    double? ChargingRemainingTime,
    double? ChargingInstantaneousPower);

internal sealed record CockpitAttributes(double? TotalMileage, double? FuelAutonomy, double? FuelQuantity);

internal sealed record LocationAttributes(double? GpsLatitude, double? GpsLongitude, DateTimeOffset? LastUpdateTime);

internal sealed record HvacStatusAttributes(string? HvacStatus, double? ExternalTemperature, double? SocThreshold);

/// <summary>Body of every Kamereon action: <c>{"data":{"type":..,"attributes":{..}}}</c>.</summary>
internal sealed record KamereonAction<T>(KamereonActionData<T> Data)
{
    public static KamereonAction<T> Of(string type, T attributes) => new(new KamereonActionData<T>(type, attributes));
}

internal sealed record KamereonActionData<T>(string Type, T Attributes);

/// <summary>Attributes of actions that only say what to do (start/stop, pause/resume); null for actions without any.</summary>
internal sealed record ActionAttributes(string? Action);

internal sealed record HvacStartAttributes(string Action, double? TargetTemperature);

internal sealed record HornLightsAttributes(string Action, string Target);

/// <summary>What Kamereon echoes back after an action; only its id matters to the gateway.</summary>
internal sealed record ActionEcho(string? Action);
