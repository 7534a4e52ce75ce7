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
