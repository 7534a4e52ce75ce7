using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

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
