namespace EvGateway.History;

/// <summary>
/// What a charging session cost at fixed day/night rates: the energy that reached the battery is spread evenly over
/// the session, each minute is priced at the rate in force then (local time), and the grid drew more than the battery
/// kept: cost = energy / charger efficiency × price of each minute.
/// </summary>
public sealed class ChargePricing(HistoryOptions options)
{
    public string Currency => options.Currency;

    /// <summary>The cost rounded to the cent, or null for a session still going on or of unknown energy.</summary>
    public double? Cost(ChargeSession session)
    {
        if (session is not { End: { } end, EnergyKwh: { } energy })
        {
            return null;
        }

        var gridEnergy = energy / options.ChargerEfficiency;
        var duration = end - session.Start;
        if (duration <= TimeSpan.Zero)
        {
            return Math.Round(gridEnergy * PriceAt(session.Start), 2);
        }

        var total = 0.0;
        var zone = options.ResolveTimeZone();
        for (var at = session.Start; at < end; at += TimeSpan.FromMinutes(1))
        {
            var slice = (end - at < TimeSpan.FromMinutes(1) ? end - at : TimeSpan.FromMinutes(1)) / duration;
            total += gridEnergy * slice * PriceAt(at, zone);
        }

        return Math.Round(total, 2);
    }

    private double PriceAt(DateTimeOffset at) => PriceAt(at, options.ResolveTimeZone());

    private double PriceAt(DateTimeOffset at, TimeZoneInfo zone)
    {
        if (options.NightWindow() is not var (start, end) || options.NightPrice is not { } night)
        {
            return options.DayPrice;
        }

        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        var isNight = start <= end ? local >= start && local < end : local >= start || local < end;
        return isNight ? night : options.DayPrice;
    }
}
