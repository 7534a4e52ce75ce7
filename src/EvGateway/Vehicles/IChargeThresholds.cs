namespace EvGateway.Vehicles;

/// <summary>
/// Where a surface other than the charge-control route (MQTT's charge_limit) changes the level at which a car's
/// charge stops, with the same rules as that route (implemented by Charging/, absent when it is not added).
/// </summary>
public interface IChargeThresholds
{
    /// <summary>Sets the car's charge threshold (100 = none) and returns the one now held.</summary>
    Task<int> SetThresholdAsync(string vin, int percent, CancellationToken cancellationToken);
}
