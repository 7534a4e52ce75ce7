namespace EvGateway.Vehicles.Capabilities;

/// <summary>What every capability port answers first: whether it serves this car (its maker, its model).</summary>
public interface ICapabilityPort
{
    bool Supports(Vehicle vehicle);
}
