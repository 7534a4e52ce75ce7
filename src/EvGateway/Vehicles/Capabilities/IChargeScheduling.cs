namespace EvGateway.Vehicles.Capabilities;

/// <summary>
/// A maker's weekly charge schedules in the car's own form (UTC times, renault.md §2). An adapter that can read and
/// write them registers one; charging features find it by asking <see cref="ICapabilityPort.Supports"/>.
/// </summary>
public interface IChargeScheduling : ICapabilityPort
{
    Task<CarChargeSchedules> GetAsync(Vehicle vehicle, CancellationToken cancellationToken);

    /// <summary>Writes the schedules and then the charge mode; the caller has validated them with the charging feature's schedule rules.</summary>
    Task SetAsync(Vehicle vehicle, CarChargeSchedules schedules, CancellationToken cancellationToken);
}
