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

    /// <summary>
    /// What one unit of the day-ahead feed's prices (Tariff:Url) is in <see cref="Currency"/>: the Agile feed quotes
    /// pence per kWh, so 0.01 gives pounds.
    /// </summary>
    [Range(0.000001, 1000.0, ErrorMessage = "History:TariffPriceFactor is what one unit of the feed's price is in History:Currency (0.01 for pence to pounds).")]
    public double TariffPriceFactor { get; set; } = 0.01;

    /// <summary>
    /// Where the car is at home, "latitude,longitude"; a session within <see cref="HomeRadiusMetres"/> of it is at
    /// home. Empty = the place where the most charging energy was added is home.
    /// </summary>
    public string? Home { get; set; }

    [Range(10.0, 5000.0, ErrorMessage = "History:HomeRadiusMetres is a distance from 10 to 5000 m.")]
    public double HomeRadiusMetres { get; set; } = 150;

    /// <summary>
    /// Whether the cars' own charge lists (Renault) are read once a day to add the sessions the gateway missed; false
    /// keeps that quota for the owner's own reads.
    /// </summary>
    public bool ReadCarCharges { get; set; } = true;

    /// <summary>IANA id of the zone the night hours are read in; empty = the machine's zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The night window, or null when one rate applies all day.</summary>
    public (TimeOnly Start, TimeOnly End)? NightWindow() =>
        NightPrice is null ? null : (ParseTime(NightStart)!.Value, ParseTime(NightEnd)!.Value);

    public TimeZoneInfo ResolveTimeZone() =>
        string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The home place from <see cref="Home"/>, or null when unset or unreadable (<see cref="HomeProblem"/> says which).</summary>
    public Place? HomePlace()
    {
        var parts = Home?.Split(',', StringSplitOptions.TrimEntries);
        return parts is [var lat, var lon]
               && double.TryParse(lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude) && latitude is >= -90 and <= 90
               && double.TryParse(lon, NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude) && longitude is >= -180 and <= 180
            ? new Place(latitude, longitude)
            : null;
    }

    public string? HomeProblem() => string.IsNullOrWhiteSpace(Home) || HomePlace() is not null
        ? null
        : "History:Home must be \"latitude,longitude\" in decimal degrees, e.g. 48.8566,2.3522.";

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
