using EvGateway.Vehicles;

namespace EvGateway.Charging;

/// <summary>
/// A maker's weekly charge schedules in the car's own form (UTC times, renault.md §2). An adapter that can read and
/// write them registers one; charging features find it by asking <see cref="Supports"/>.
/// </summary>
public interface IChargeScheduling
{
    bool Supports(Vehicle vehicle);

    Task<CarChargeSchedules> GetAsync(Vehicle vehicle, CancellationToken cancellationToken);

    /// <summary>Writes the schedules and then the charge mode; the caller has validated them with <see cref="ChargeScheduleRules"/>.</summary>
    Task SetAsync(Vehicle vehicle, CarChargeSchedules schedules, CancellationToken cancellationToken);
}

public enum CarChargeMode
{
    /// <summary>Charge whenever plugged in.</summary>
    Always,

    /// <summary>Charge only inside the active schedule's periods.</summary>
    Scheduled,
}

/// <summary>Every schedule of a car and its charge mode.</summary>
public sealed record CarChargeSchedules(CarChargeMode Mode, IReadOnlyList<CarSchedule> Schedules);

/// <summary>One schedule: at most one period per (UTC) weekday.</summary>
public sealed record CarSchedule(int Id, bool Activated, IReadOnlyList<CarPeriod> Periods);

/// <summary>A charge period as the car stores it: a UTC weekday and start time, and a length in minutes.</summary>
public sealed record CarPeriod(DayOfWeek Day, TimeOnly StartUtc, int DurationMinutes);

/// <summary>
/// A maker whose cars keep one daily charge time instead of weekly schedules, in the car's own wall-clock time: a
/// delayed start hour (PSA: the car charges from then until full or until it is stopped) or a daily window (Renault 5
/// family and Master through KCM ev/settings: a start and a length). Charging features find it by <see cref="Supports"/>.
/// </summary>
public interface IDailyChargeScheduling
{
    bool Supports(Vehicle vehicle);

    DailyChargeForm Form(Vehicle vehicle);

    Task<CarDailyCharge> GetAsync(Vehicle vehicle, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the mode and, when given, the time (the caller has checked it with <see cref="ChargeScheduleRules.CheckDaily"/>);
    /// returns the whole setting the car now has, including a time that was kept.
    /// </summary>
    Task<CarDailyCharge> SetAsync(Vehicle vehicle, CarDailyCharge charge, CancellationToken cancellationToken);
}

public enum DailyChargeForm
{
    /// <summary>A start time only; charging runs until the battery is full or the charge is stopped.</summary>
    Start,

    /// <summary>A start time and a length in minutes.</summary>
    Window,
}

/// <summary>
/// A car's daily charge time in its local wall-clock time. <see cref="Start"/> null on a write keeps the car's time
/// (a switch of mode only); <see cref="DurationMinutes"/> is null for <see cref="DailyChargeForm.Start"/> cars.
/// </summary>
public sealed record CarDailyCharge(CarChargeMode Mode, TimeOnly? Start, int? DurationMinutes);
