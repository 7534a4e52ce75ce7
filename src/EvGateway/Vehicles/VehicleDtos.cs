using EvGateway.Vehicles.Budget;

namespace EvGateway.Vehicles;

/// <summary>
/// A car as the REST surface lists it, with its refresh policy and when the gateway next reads it on its own
/// (null for the <c>never</c> policy).
/// </summary>
public sealed record VehicleDto(
    string Vin,
    string Brand,
    string Model,
    string? ModelCode,
    string Maker,
    double? BatteryCapacityKwh,
    IReadOnlyList<VehicleCapability> Capabilities)
{
    public RefreshPolicy? RefreshPolicy { get; init; }

    public DateTimeOffset? NextRefreshAt { get; init; }

    public static VehicleDto From(Vehicle vehicle) => new(vehicle.Vin, vehicle.Brand, vehicle.Model, vehicle.ModelCode,
        vehicle.Maker, vehicle.BatteryCapacityKwh, vehicle.Capabilities.Order().ToArray());
}

/// <summary>What a remote command did: 202 with this body once the cloud (or the car, where it replies) accepted it.</summary>
public sealed record CommandResultDto(string Vin, string Command, bool Accepted, string Detail, string? CorrelationId);
