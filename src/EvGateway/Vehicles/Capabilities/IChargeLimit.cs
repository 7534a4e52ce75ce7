namespace EvGateway.Vehicles.Capabilities;

/// <summary>
/// A car that keeps a charge limit of its own and stops by itself when it reaches it (Renault KCM ev/soc-levels).
/// Charge control writes the limit to such a car instead of watching it and sending a stop it could not take.
/// </summary>
public interface IChargeLimit : ICapabilityPort
{
    /// <summary>The limits the car accepts.</summary>
    ChargeLimitSteps Steps(Vehicle vehicle);

    /// <summary>Sets the car's limit; 100 lifts it.</summary>
    Task SetAsync(Vehicle vehicle, int targetPercent, CancellationToken cancellationToken);
}
