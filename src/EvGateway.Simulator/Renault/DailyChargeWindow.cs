using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// The KCM ev/settings charge window: every day from <c>chargeTimeStart</c> (wall clock in the car's own time zone) for
/// <c>chargeDuration</c> minutes. A window may run past midnight; a day or more (recorded cars hold 9000) covers all day.
/// </summary>
internal sealed partial record DailyChargeWindow(int StartMinuteOfDay, int DurationMinutes, TimeZoneInfo Zone)
{
    private const int DayMinutes = 1440;

    public bool Covers(DateTimeOffset instant)
    {
        if (DurationMinutes >= DayMinutes)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(instant, Zone);
        var minuteOfDay = local.Hour * 60 + local.Minute;
        return (minuteOfDay - StartMinuteOfDay + DayMinutes) % DayMinutes < DurationMinutes;
    }

    /// <summary>The window the stored settings describe (the simulator only stores settings it validated).</summary>
    public static DailyChargeWindow From(JsonObject settings, TimeZoneInfo zone) =>
        TryParseStart(settings["chargeTimeStart"], out var start) && TryParseDuration(settings["chargeDuration"], out var duration)
            ? new DailyChargeWindow(start, duration, zone)
            : throw new InvalidOperationException("Stored ev/settings hold no valid charge window.");

    /// <summary>"HH:MM" from 00:00 to 23:59, as the car's settings screen offers it.</summary>
    public static bool TryParseStart(JsonNode? node, out int minuteOfDay)
    {
        minuteOfDay = 0;
        var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
        var match = text is null ? null : StartPattern().Match(text);
        if (match is not { Success: true })
        {
            return false;
        }

        minuteOfDay = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 60
            + int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>A positive whole number of minutes; integral numbers written as 480.0 count too.</summary>
    public static bool TryParseDuration(JsonNode? node, out int minutes)
    {
        minutes = 0;
        if (node is not JsonValue value)
        {
            return false;
        }

        if (!value.TryGetValue(out minutes)
            && value.TryGetValue<double>(out var number) && number == Math.Floor(number) && number is > 0 and < int.MaxValue)
        {
            minutes = (int)number;
        }

        return minutes > 0;
    }

    [GeneratedRegex(@"^([01]\d|2[0-3]):([0-5]\d)$")]
    private static partial Regex StartPattern();
}
