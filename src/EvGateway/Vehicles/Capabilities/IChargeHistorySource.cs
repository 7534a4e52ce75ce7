namespace EvGateway.Vehicles.Capabilities;

/// <summary>
/// A charging session as the car's own cloud remembers it. Levels are percent; <c>EnergyKwh</c> is what reached the
/// battery (null when neither the cloud nor the car's capacity tells it); <c>PowerKw</c> is the power the cloud gave.
/// </summary>
public sealed record CarChargeSession(
    DateTimeOffset Start,
    DateTimeOffset? End,
    double? StartLevel,
    double? EndLevel,
    double? EnergyKwh,
    double? PowerKw);

/// <summary>
/// A car whose cloud keeps a list of its past charges (Renault Kamereon <c>charges</c>). The history reads it once a
/// day to fill in the sessions the gateway missed while it was not running.
/// </summary>
public interface IChargeHistorySource : ICapabilityPort
{
    /// <summary>
    /// The charges that started on the days <paramref name="from"/> to <paramref name="to"/> (both included, UTC),
    /// oldest first. A car found to keep no such list answers an empty one and is no longer <see cref="ICapabilityPort.Supports"/>ed.
    /// </summary>
    Task<IReadOnlyList<CarChargeSession>> GetChargesAsync(Vehicle vehicle, DateOnly from, DateOnly to, CancellationToken cancellationToken);
}
