namespace EvGateway.Simulator.Tariff;

/// <summary>
/// A day-ahead half-hourly price feed shaped like Octopus Agile: prices for today, and from about 16:00 UK time for
/// tomorrow too (the Agile day runs 23:00 to 23:00 UK time). The prices follow the real daily shape (cheap after
/// midnight, a 16:00–19:00 peak) with a repeatable wobble per slot; tests may pin exact prices instead.
/// </summary>
public sealed class TariffFeed(TimeProvider time)
{
    public const string RatesPath = "/tariff/v1/products/AGILE-SIM/electricity-tariffs/E-1R-AGILE-SIM-C/standard-unit-rates/";
    private static readonly TimeSpan Slot = TimeSpan.FromMinutes(30);
    private static readonly TimeZoneInfo Uk = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private volatile IReadOnlyList<TariffRate>? pinned;

    /// <summary>Rates per page; the real feed pages at 100, a smaller page makes clients follow `next`.</summary>
    public int PageSize { get; init; } = 48;

    /// <summary>The feed's address under a simulator's base address.</summary>
    public static Uri UrlFor(Uri baseAddress) => new(baseAddress, RatesPath.TrimStart('/'));

    /// <summary>Serves exactly these rates from now on (any order given; served newest first).</summary>
    public void Pin(IEnumerable<TariffRate> rates) => pinned = rates.ToList();

    /// <summary>Every published rate, newest first, as the real feed lists them.</summary>
    public IReadOnlyList<TariffRate> Published()
    {
        if (pinned is { } fixedRates)
        {
            return fixedRates.OrderByDescending(r => r.ValidFrom).ToList();
        }

        var ukNow = TimeZoneInfo.ConvertTime(time.GetUtcNow(), Uk);
        var ukToday = DateOnly.FromDateTime(ukNow.DateTime);
        var from = UkInstant(ukToday.AddDays(-2), 23);
        var to = UkInstant(ukNow.Hour >= 16 ? ukToday.AddDays(1) : ukToday, 23);
        var rates = new List<TariffRate>();
        for (var start = from; start < to; start += Slot)
        {
            rates.Add(new TariffRate(start, start + Slot, PriceAt(start)));
        }

        rates.Reverse();
        return rates;
    }

    // Pence per kWh incl. VAT: the daily Agile shape plus a wobble that is the same for the same slot every time.
    private static double PriceAt(DateTimeOffset start)
    {
        var ukHour = TimeZoneInfo.ConvertTime(start, Uk).TimeOfDay.TotalHours;
        var basePrice = ukHour switch
        {
            >= 2 and < 5 => 9.0,
            < 2 or >= 23 => 13.0,
            >= 16 and < 19 => 34.0,
            >= 5 and < 7 => 17.0,
            >= 19 => 23.0,
            _ => 21.0,
        };
        var wobble = new Random((int)(start.ToUnixTimeSeconds() / 1800 % int.MaxValue)).NextDouble() * 6 - 3;
        return Math.Round(basePrice + wobble, 2);
    }

    private static DateTimeOffset UkInstant(DateOnly day, int hour)
    {
        var local = day.ToDateTime(new TimeOnly(hour, 0));
        return new DateTimeOffset(local, Uk.GetUtcOffset(local));
    }
}

/// <summary>One half-hour price as the feed lists it (the unit is pence per kWh including VAT).</summary>
public sealed record TariffRate(DateTimeOffset ValidFrom, DateTimeOffset ValidTo, double ValueIncVat);
