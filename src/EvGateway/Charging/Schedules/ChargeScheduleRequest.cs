using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

/// <summary>
/// Charge schedules as a person writes them: local times in the gateway's zone, a start and an end per weekday
/// (an end at or before the start runs into the next day). The car stores them in UTC; see <see cref="ChargeScheduleConversion"/>.
/// </summary>
/// <param name="Mode">always (charge whenever plugged in) or scheduled (only inside the active schedule or daily time).</param>
/// <param name="Schedules">Weekly cars (form "weekly"): up to five schedules, at most one active (an empty list for
/// none); leave it out to switch the mode only.</param>
/// <param name="Daily">Daily cars (form "daily_window" or "daily_start"): the one daily charge time; leave it out to
/// switch the mode only.</param>
public sealed record ChargeScheduleRequest(string? Mode, IReadOnlyList<LocalSchedule>? Schedules, LocalDaily? Daily = null)
{
    /// <summary>The requested mode; the validator has checked it is always or scheduled.</summary>
    public CarChargeMode CarMode => Mode == ChargeModeNames.Scheduled ? CarChargeMode.Scheduled : CarChargeMode.Always;
}
