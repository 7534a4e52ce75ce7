using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging;

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

/// <summary>How the REST surface spells a <see cref="CarChargeMode"/>.</summary>
public static class ChargeModeNames
{
    public const string Always = "always";
    public const string Scheduled = "scheduled";

    public static string Of(CarChargeMode mode) => mode == CarChargeMode.Scheduled ? Scheduled : Always;
}

/// <param name="Id">The car's schedule number (1..5).</param>
/// <param name="Active">True for the one schedule the car follows.</param>
/// <param name="Days">Weekday name (monday..sunday) → period.</param>
public sealed record LocalSchedule(int Id, bool Active, IReadOnlyDictionary<string, LocalPeriod>? Days);

/// <param name="Start">Local start, "HH:mm".</param>
/// <param name="End">Local end, "HH:mm"; at or before the start means the next day.</param>
public sealed record LocalPeriod(string? Start, string? End);

/// <param name="Start">Local start, "HH:mm".</param>
/// <param name="End">Local end, "HH:mm" (at or before the start means the next day) for a daily window; absent for a
/// car that only takes a start time and charges until full or until charge control stops it.</param>
public sealed record LocalDaily(string? Start, string? End);

/// <summary>
/// What GET and PUT charge-schedule answer. <see cref="Form"/> says what the car can express: "weekly" (schedules),
/// "daily_window" (daily start and end) or "daily_start" (a daily start time only).
/// </summary>
public sealed record ChargeScheduleView(string Vin, string Mode, string TimeZone, IReadOnlyList<LocalSchedule> Schedules,
    string Form = ChargeScheduleForms.Weekly, LocalDaily? Daily = null);

public static class ChargeScheduleForms
{
    public const string Weekly = "weekly";
    public const string DailyWindow = "daily_window";
    public const string DailyStart = "daily_start";

    public static string Of(DailyChargeForm form) => form == DailyChargeForm.Window ? DailyWindow : DailyStart;
}

public static class ScheduleDays
{
    public static readonly string[] Names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static DayOfWeek Parse(string name) => (DayOfWeek)((Array.IndexOf(Names, name.ToLowerInvariant()) + 1) % 7);

    public static string Name(DayOfWeek day) => Names[((int)day + 6) % 7];

    public static bool IsDay(string name) => Names.Contains(name.ToLowerInvariant());

    /// <summary>Minutes from a local start to a local end; an end at or before the start runs into the next day.</summary>
    public static int Minutes(TimeOnly start, TimeOnly end) => end == start ? 1440 : (int)(end - start).TotalMinutes;

    public static TimeOnly? ParseTime(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}

public sealed class ChargeScheduleRequestValidator : AbstractValidator<ChargeScheduleRequest>
{
    public ChargeScheduleRequestValidator()
    {
        RuleFor(r => r.Mode).Must(m => m is ChargeModeNames.Always or ChargeModeNames.Scheduled).WithMessage("Must be always or scheduled.");
        RuleFor(r => r.Daily).Null().When(r => r.Schedules is { Count: > 0 }).WithMessage("Send schedules or daily, not both.");
        RuleFor(r => r.Daily!.Start).Must(t => ScheduleDays.ParseTime(t) is not null).When(r => r.Daily is not null)
            .OverridePropertyName("daily.start").WithMessage("Must be a local time HH:mm.");
        RuleFor(r => r.Daily!.End).Must(t => ScheduleDays.ParseTime(t) is not null).When(r => r.Daily?.End is not null)
            .OverridePropertyName("daily.end").WithMessage("Must be a local time HH:mm, or left out.");
        RuleForEach(r => r.Schedules).ChildRules(schedule =>
        {
            schedule.RuleFor(s => s.Id).InclusiveBetween(1, 5).WithMessage("Must be 1 to 5.");
            schedule.RuleFor(s => s.Days).NotNull().WithMessage("Must map weekday names to periods.");
            schedule.RuleForEach(s => s.Days).ChildRules(day =>
            {
                day.RuleFor(d => d.Key).Must(ScheduleDays.IsDay).WithMessage("Must be a weekday name, monday to sunday.");
                day.RuleFor(d => d.Value.Start).Must(t => ScheduleDays.ParseTime(t) is not null).WithMessage("Must be a local time HH:mm.");
                day.RuleFor(d => d.Value.End).Must(t => ScheduleDays.ParseTime(t) is not null).WithMessage("Must be a local time HH:mm.");
            });
        });
    }
}

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
