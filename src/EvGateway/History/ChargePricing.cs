using EvGateway.Charging.Tariff;

namespace EvGateway.History;

/// <summary>
/// What a charging session cost: the energy that reached the battery is spread evenly over the session, each minute
/// is priced at the day-ahead slot it fell in when one is stored, else at the fixed day/night rate in force then
/// (local time), and the grid drew more than the battery kept: cost = energy / charger efficiency × price of each
/// minute. A price the owner set for the session wins over both.
/// </summary>
public sealed class ChargePricing(HistoryOptions options)
{
    public string Currency => options.Currency;

    /// <summary>
    /// The cost rounded to the cent, or null for a session still going on or of unknown energy (unless the owner set
    /// its whole cost). <paramref name="slots"/> are day-ahead prices in the feed's unit, in time order.
    /// </summary>
    public double? Cost(ChargeSession session, IReadOnlyList<PriceSlot>? slots = null, EditedPrice? edit = null)
    {
        if (edit?.Cost is { } set)
        {
            return Math.Round(set, 2);
        }

        if (session is not { End: { } end, EnergyKwh: { } energy })
        {
            return null;
        }

        var gridEnergy = energy / options.ChargerEfficiency;
        if (edit?.PricePerKwh is { } price)
        {
            return Math.Round(gridEnergy * price, 2);
        }

        var zone = options.ResolveTimeZone();
        var duration = end - session.Start;
        if (duration <= TimeSpan.Zero)
        {
            return Math.Round(gridEnergy * new Prices(options, slots, zone).At(session.Start), 2);
        }

        var total = 0.0;
        var prices = new Prices(options, slots, zone);
        for (var at = session.Start; at < end; at += TimeSpan.FromMinutes(1))
        {
            var slice = (end - at < TimeSpan.FromMinutes(1) ? end - at : TimeSpan.FromMinutes(1)) / duration;
            total += gridEnergy * slice * prices.At(at);
        }

        return Math.Round(total, 2);
    }

    /// <summary>Prices walked forward in time: the slot pointer only moves on, so a session costs one pass over its slots.</summary>
    private sealed class Prices(HistoryOptions options, IReadOnlyList<PriceSlot>? slots, TimeZoneInfo zone)
    {
        private int next;

        public double At(DateTimeOffset at)
        {
            if (slots is not null)
            {
                while (next < slots.Count && slots[next].End <= at)
                {
                    next++;
                }

                if (next < slots.Count && slots[next].Start <= at)
                {
                    return slots[next].PricePerKwh * options.TariffPriceFactor;
                }
            }

            return FixedAt(at);
        }

        private double FixedAt(DateTimeOffset at)
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
}
