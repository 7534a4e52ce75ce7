using EvGateway.Vehicles.Capabilities;

namespace EvGateway.Charging.Schedules;

/// <summary>
/// The rules a Renault car enforces on charge schedules (renault.md §2), checked before anything is sent so the
/// caller learns which rule failed instead of getting the car's bare refusal.
/// </summary>
public static class ChargeScheduleRules
{
    public const int MaxSchedules = 5;
    private const int WeekMinutes = 7 * 1440;

    /// <summary>The first broken rule, or null when the car would accept the schedules.</summary>
    public static ScheduleRuleViolation? Check(CarChargeSchedules schedules)
    {
        if (schedules.Schedules.Count > MaxSchedules)
        {
            return new("max_schedules", $"At most {MaxSchedules} schedules are allowed; {schedules.Schedules.Count} were given.");
        }

        if (schedules.Schedules.Count(s => s.Activated) > 1)
        {
            return new("one_active_schedule", "At most one schedule can be active.");
        }

        if (schedules.Schedules.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            return new("unique_ids", $"Schedule id {duplicate.Key} is used twice.");
        }

        foreach (var schedule in schedules.Schedules)
        {
            if (CheckOne(schedule) is { } violation)
            {
                return violation;
            }
        }

        return null;
    }

    private static ScheduleRuleViolation? CheckOne(CarSchedule schedule)
    {
        foreach (var period in schedule.Periods)
        {
            if (period.StartUtc.Minute % 15 != 0 || period.StartUtc.Second != 0 || period.StartUtc.Millisecond != 0)
            {
                return new("quarter_hour_start", $"Schedule {schedule.Id}, {Day(period)}: the start {period.StartUtc:HH:mm} UTC is not on a quarter hour.");
            }

            if (period.DurationMinutes is < 15 or > 1440 || period.DurationMinutes % 15 != 0)
            {
                return new("duration_quarter_hours",
                    $"Schedule {schedule.Id}, {Day(period)}: the duration {period.DurationMinutes} min must be a multiple of 15 from 15 to 1440.");
            }
        }

        if (schedule.Periods.GroupBy(p => p.Day).FirstOrDefault(g => g.Count() > 1) is { } crowded)
        {
            return new("one_period_per_day", $"Schedule {schedule.Id}: {crowded.Key} (UTC) has more than one period.");
        }

        var ordered = schedule.Periods.OrderBy(WeekStart).ToList();
        for (var i = 0; i < ordered.Count && ordered.Count > 1; i++)
        {
            var current = ordered[i];
            var next = ordered[(i + 1) % ordered.Count];
            var gap = (WeekStart(next) - WeekStart(current) + WeekMinutes) % WeekMinutes;
            if (current.DurationMinutes > gap)
            {
                return new("no_overlap", $"Schedule {schedule.Id}: the {Day(current)} period runs into the {Day(next)} period.");
            }
        }

        return null;
    }

    /// <summary>
    /// The rules of a car with one daily charge time: a window car needs an end and keeps the quarter-hour steps of the
    /// Renault family; a start-time car takes no end. Null when the car would accept it.
    /// </summary>
    public static ScheduleRuleViolation? CheckDaily(DailyChargeForm form, CarDailyCharge charge)
    {
        if (form == DailyChargeForm.Start)
        {
            return charge.DurationMinutes is null ? null
                : new("start_only", "This car takes a daily start time only and charges from then until full or until charge control stops it; leave out the end.", "daily");
        }

        if (charge.Start is not { } start)
        {
            return null;
        }

        if (charge.DurationMinutes is not { } duration)
        {
            return new("window_end", "This car charges in a daily window: give its end as well as its start.", "daily");
        }

        if (start.Minute % 15 != 0)
        {
            return new("quarter_hour_start", $"The start {start:HH:mm} is not on a quarter hour.", "daily");
        }

        return duration is < 15 or > 1440 || duration % 15 != 0
            ? new("duration_quarter_hours", $"The window of {duration} min must be a multiple of 15 from 15 to 1440.", "daily")
            : null;
    }

    // Monday-based minute of the week, the order the car lists its days in.
    private static int WeekStart(CarPeriod period) => ((int)period.Day + 6) % 7 * 1440 + period.StartUtc.Hour * 60 + period.StartUtc.Minute;

    private static string Day(CarPeriod period) => period.Day.ToString();
}
