using System.Globalization;
using EvGateway.Charging;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

/// <summary>
/// Moves schedules between local time and the car's UTC form. A weekday's period is converted with the offset its
/// next occurrence will have, so a schedule written the week the clocks change still starts at the wall-clock
/// time the person wrote; the way back uses the same rule, so a schedule round-trips unchanged.
/// </summary>
public static class ChargeScheduleConversion
{
    public static CarChargeSchedules ToCar(ChargeScheduleRequest request, DateTimeOffset now, TimeZoneInfo zone) => new(
        request.CarMode,
        (request.Schedules ?? []).Select(schedule => new CarSchedule(
            schedule.Id,
            schedule.Active,
            (schedule.Days ?? new Dictionary<string, LocalPeriod>()).Select(day => ToCar(day.Key, day.Value, now, zone)).ToList())).ToList());

    public static ChargeScheduleView ToLocal(string vin, CarChargeSchedules car, DateTimeOffset now, TimeZoneInfo zone) => new(
        vin,
        ChargeModeNames.Of(car.Mode),
        zone.Id,
        car.Schedules.Select(schedule => new LocalSchedule(
            schedule.Id,
            schedule.Activated,
            schedule.Periods
                .Select(period => ToLocal(period, now, zone))
                .OrderBy(pair => Array.IndexOf(ScheduleDays.Names, pair.Day))
                .ToDictionary(pair => pair.Day, pair => pair.Period))).ToList());

    private static CarPeriod ToCar(string dayName, LocalPeriod period, DateTimeOffset now, TimeZoneInfo zone)
    {
        var start = ScheduleDays.ParseTime(period.Start)!.Value;
        var end = ScheduleDays.ParseTime(period.End)!.Value;
        var instant = NextLocal(ScheduleDays.Parse(dayName), start, now, zone).UtcDateTime;
        return new CarPeriod(instant.DayOfWeek, TimeOnly.FromDateTime(instant), ScheduleDays.Minutes(start, end));
    }

    private static (string Day, LocalPeriod Period) ToLocal(CarPeriod period, DateTimeOffset now, TimeZoneInfo zone)
    {
        var start = NextUtc(period.Day, period.StartUtc, now, zone);
        var localStart = TimeZoneInfo.ConvertTime(start, zone);
        var localEnd = TimeZoneInfo.ConvertTime(start + TimeSpan.FromMinutes(period.DurationMinutes), zone);
        return (ScheduleDays.Name(localStart.DayOfWeek), new LocalPeriod(Format(localStart), Format(localEnd)));
    }

    // The first instant from the start of today (local) at which the local clock shows that weekday and time.
    private static DateTimeOffset NextLocal(DayOfWeek day, TimeOnly at, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var date = today.AddDays(((int)day - (int)today.DayOfWeek + 7) % 7);
        return LocalTime.ToInstant(date.ToDateTime(at), zone);
    }

    // The UTC counterpart: the instant a car period denotes in the same seven days (from local midnight today) NextLocal uses.
    private static DateTimeOffset NextUtc(DayOfWeek day, TimeOnly at, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var windowStart = LocalTime.ToInstant(today.ToDateTime(TimeOnly.MinValue), zone);
        var date = DateOnly.FromDateTime(windowStart.UtcDateTime);
        var candidate = new DateTimeOffset(date.ToDateTime(at), TimeSpan.Zero);
        while (candidate.DayOfWeek != day || candidate < windowStart)
        {
            candidate = candidate.AddDays(1);
        }

        return candidate;
    }

    private static string Format(DateTimeOffset local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);
}
