using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EvGateway.Simulator.Renault;

/// <summary>One charge period of a schedule: a UTC start time on a weekday and a duration.</summary>
internal sealed record ChargePeriod(DayOfWeek Day, TimeSpan Start, int DurationMinutes)
{
    public int WeekStartMinute => WeekDayIndex(Day) * 1440 + (int)Start.TotalMinutes;

    // Monday-based so the week of minutes matches the order the car lists its days in.
    public static int WeekDayIndex(DayOfWeek day) => ((int)day + 6) % 7;
}

/// <summary>A charge schedule as the car stores it (type ChargeSchedule, renault.md §2).</summary>
internal sealed partial record ChargeSchedule(int Id, bool Activated, IReadOnlyList<ChargePeriod> Periods)
{
    public static readonly string[] DayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id, ["activated"] = Activated };
        foreach (var period in Periods)
        {
            json[DayNames[ChargePeriod.WeekDayIndex(period.Day)]] = new JsonObject
            {
                ["startTime"] = $"T{period.Start:hh\\:mm}Z",
                ["duration"] = period.DurationMinutes,
            };
        }

        return json;
    }

    /// <summary>True when the instant falls inside one of this schedule's periods (which may run into the next day).</summary>
    public bool Covers(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        var minuteOfWeek = ChargePeriod.WeekDayIndex(utc.DayOfWeek) * 1440 + utc.Hour * 60 + utc.Minute;
        return Periods.Any(p => (minuteOfWeek - p.WeekStartMinute + WeekMinutes) % WeekMinutes < p.DurationMinutes);
    }

    private const int WeekMinutes = 7 * 1440;

    /// <summary>
    /// Parses and validates schedules the way the car does: THH:MMZ on a quarter hour, durations in quarter hours
    /// (15..1440), at most five schedules, at most one activated, periods of one schedule never overlapping.
    /// </summary>
    public static IReadOnlyList<ChargeSchedule> Parse(JsonNode? schedulesNode, out string? error)
    {
        error = null;
        if (schedulesNode is not JsonArray array)
        {
            error = "schedules must be an array";
            return [];
        }

        if (array.Count > MaxSchedules)
        {
            error = $"at most {MaxSchedules} schedules are allowed";
            return [];
        }

        var schedules = new List<ChargeSchedule>();
        foreach (var node in array)
        {
            var schedule = ParseOne(node as JsonObject, out error);
            if (schedule is null)
            {
                return [];
            }

            schedules.Add(schedule);
        }

        if (schedules.Count(s => s.Activated) > 1)
        {
            error = "at most one schedule can be activated";
            return [];
        }

        if (schedules.Select(s => s.Id).Distinct().Count() != schedules.Count)
        {
            error = "schedule ids must be unique";
            return [];
        }

        return schedules;
    }

    private const int MaxSchedules = 5;

    private static ChargeSchedule? ParseOne(JsonObject? json, out string? error)
    {
        error = null;
        if (json is null || !TryGetInt(json["id"], out var id))
        {
            error = "each schedule needs a numeric id";
            return null;
        }

        var activated = json["activated"] is JsonValue flag && flag.TryGetValue<bool>(out var on) && on;
        var periods = new List<ChargePeriod>();
        for (var dayIndex = 0; dayIndex < DayNames.Length; dayIndex++)
        {
            if (json[DayNames[dayIndex]] is not JsonObject dayJson)
            {
                continue;
            }

            var startText = dayJson["startTime"] is JsonValue s && s.TryGetValue<string>(out var text) ? text : null;
            var match = startText is null ? null : StartTimePattern().Match(startText);
            if (match is not { Success: true })
            {
                error = $"{DayNames[dayIndex]}.startTime must be THH:MMZ on a 15-minute boundary";
                return null;
            }

            if (!TryGetInt(dayJson["duration"], out var duration) || duration < 15 || duration > 1440 || duration % 15 != 0)
            {
                error = $"{DayNames[dayIndex]}.duration must be a multiple of 15 between 15 and 1440";
                return null;
            }

            var start = new TimeSpan(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 0);
            periods.Add(new ChargePeriod((DayOfWeek)((dayIndex + 1) % 7), start, duration));
        }

        if (Overlaps(periods))
        {
            error = $"the periods of schedule {id} overlap";
            return null;
        }

        return new ChargeSchedule(id, activated, periods);
    }

    private static bool Overlaps(List<ChargePeriod> periods)
    {
        var ordered = periods.OrderBy(p => p.WeekStartMinute).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var current = ordered[i];
            var next = ordered[(i + 1) % ordered.Count];
            var gap = (next.WeekStartMinute - current.WeekStartMinute + WeekMinutes) % WeekMinutes;
            if (ordered.Count > 1 && current.DurationMinutes > gap)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryGetInt(JsonNode? node, out int value)
    {
        value = 0;
        if (node is not JsonValue json)
        {
            return false;
        }

        if (json.TryGetValue(out value))
        {
            return true;
        }

        if (json.TryGetValue<double>(out var number) && number == Math.Floor(number) && Math.Abs(number) < int.MaxValue)
        {
            value = (int)number;
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"^T([01]\d|2[0-3]):(00|15|30|45)Z$")]
    private static partial Regex StartTimePattern();
}
