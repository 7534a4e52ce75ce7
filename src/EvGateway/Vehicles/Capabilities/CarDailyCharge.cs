namespace EvGateway.Vehicles.Capabilities;

/// <summary>
/// A car's daily charge time in its local wall-clock time. <see cref="Start"/> null on a write keeps the car's time
/// (a switch of mode only); <see cref="DurationMinutes"/> is null for <see cref="DailyChargeForm.Start"/> cars.
/// </summary>
public sealed record CarDailyCharge(CarChargeMode Mode, TimeOnly? Start, int? DurationMinutes);
