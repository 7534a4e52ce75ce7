using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace EvGateway.History;

/// <summary>
/// The `History:*` settings: how charging sessions are priced. Without a night price every hour costs the day price;
/// the old bridge's `[Electricity config]` maps onto these one for one.
/// </summary>
public sealed class HistoryOptions
{
    public const string SectionName = "History";

    /// <summary>Share of the energy drawn from the grid that reaches the battery.</summary>
    [Range(0.01, 1.0, ErrorMessage = "History:ChargerEfficiency is a share from 0.01 to 1 (0.9 = 90 % reaches the battery).")]
    public double ChargerEfficiency { get; set; } = 0.9;

    /// <summary>Price of one kWh from the grid outside the night hours, in <see cref="Currency"/>.</summary>
    [Range(0.0, 100.0, ErrorMessage = "History:DayPrice is a price per kWh from 0 to 100.")]
    public double DayPrice { get; set; } = 0.15;

    /// <summary>Price of one kWh during the night hours; null = one rate all day.</summary>
    [Range(0.0, 100.0, ErrorMessage = "History:NightPrice is a price per kWh from 0 to 100.")]
    public double? NightPrice { get; set; }

    /// <summary>Local time the night rate starts, "HH:mm".</summary>
    public string? NightStart { get; set; }

    /// <summary>Local time the night rate ends, "HH:mm"; before <see cref="NightStart"/> when the night crosses midnight.</summary>
    public string? NightEnd { get; set; }

    [Required(ErrorMessage = "History:Currency must name the currency of the prices, e.g. EUR.")]
    public string Currency { get; set; } = "EUR";

    /// <summary>IANA id of the zone the night hours are read in; empty = the machine's zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The night window, or null when one rate applies all day.</summary>
    public (TimeOnly Start, TimeOnly End)? NightWindow() =>
        NightPrice is null ? null : (ParseTime(NightStart)!.Value, ParseTime(NightEnd)!.Value);

    public TimeZoneInfo ResolveTimeZone() =>
        string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The first thing wrong with the night hours, or null when they make sense.</summary>
    public string? NightHoursProblem()
    {
        if (NightPrice is null)
        {
            return NightStart is null && NightEnd is null ? null : "History:NightStart and NightEnd need History:NightPrice.";
        }

        if (ParseTime(NightStart) is null)
        {
            return "History:NightStart must be a local time HH:mm (e.g. 22:30) when History:NightPrice is set.";
        }

        return ParseTime(NightEnd) is null
            ? "History:NightEnd must be a local time HH:mm (e.g. 06:00) when History:NightPrice is set."
            : null;
    }

    private static TimeOnly? ParseTime(string? text) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}
