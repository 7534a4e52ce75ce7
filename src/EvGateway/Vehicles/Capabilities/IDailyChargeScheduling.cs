namespace EvGateway.Vehicles.Capabilities;

/// <summary>
/// A maker whose cars keep one daily charge time instead of weekly schedules, in the car's own wall-clock time: a
/// delayed start hour (PSA: the car charges from then until full or until it is stopped) or a daily window (Renault 5
/// family and Master through KCM ev/settings: a start and a length). Charging features find it by <see cref="ICapabilityPort.Supports"/>.
/// </summary>
public interface IDailyChargeScheduling : ICapabilityPort
{
    DailyChargeForm Form(Vehicle vehicle);

    Task<CarDailyCharge> GetAsync(Vehicle vehicle, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the mode and, when given, the time (the caller has checked it with the charging feature's daily rules);
    /// returns the whole setting the car now has, including a time that was kept.
    /// </summary>
    Task<CarDailyCharge> SetAsync(Vehicle vehicle, CarDailyCharge charge, CancellationToken cancellationToken);
}
