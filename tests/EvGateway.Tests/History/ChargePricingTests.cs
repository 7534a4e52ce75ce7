using EvGateway.Charging.Tariff;
using EvGateway.History;

namespace EvGateway.Tests.History;

public sealed class ChargePricingTests
{
    private static readonly DateTimeOffset Evening = new(2026, 11, 28, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void With_one_rate_a_session_costs_its_grid_energy_times_the_day_price()
    {
        var pricing = new ChargePricing(new HistoryOptions { DayPrice = 0.18, ChargerEfficiency = 0.9, TimeZone = "UTC" });

        Assert.Equal(4.00, pricing.Cost(Session(Evening, Evening.AddHours(3), 20)));
    }

    [Fact]
    public void Each_part_of_a_session_is_priced_at_the_rate_of_its_hour_across_midnight()
    {
        var pricing = new ChargePricing(NightRates("UTC"));

        // 22:00-02:00 spreads 20 kWh evenly: half an hour at the day rate, three and a half at night.
        var cost = pricing.Cost(Session(Evening, Evening.AddHours(4), 20));

        Assert.Equal(Math.Round((2.5 * 0.20 + 17.5 * 0.10) / 0.9, 2), cost);
    }

    [Fact]
    public void Night_hours_are_read_in_the_configured_zone()
    {
        var pricing = new ChargePricing(NightRates("Europe/Paris"));

        // 21:30-22:30 UTC is 22:30-23:30 in Paris in November: all of it at night.
        Assert.Equal(Math.Round(9 * 0.10 / 0.9, 2), pricing.Cost(Session(Evening.AddMinutes(-30), Evening.AddMinutes(30), 9)));
    }

    [Fact]
    public void A_session_still_going_or_of_unknown_energy_has_no_cost_yet()
    {
        var pricing = new ChargePricing(NightRates("UTC"));

        Assert.Null(pricing.Cost(Session(Evening, null, 10)));
        Assert.Null(pricing.Cost(Session(Evening, Evening.AddHours(1), null)));
    }

    [Fact]
    public void Night_hours_without_a_night_price_or_a_night_price_without_hours_are_refused()
    {
        Assert.NotNull(new HistoryOptions { NightStart = "22:30", NightEnd = "06:00" }.NightHoursProblem());
        Assert.Contains("NightStart", new HistoryOptions { NightPrice = 0.1, NightEnd = "06:00" }.NightHoursProblem());
        Assert.Contains("NightEnd", new HistoryOptions { NightPrice = 0.1, NightStart = "22:30", NightEnd = "6h" }.NightHoursProblem());
        Assert.Null(NightRates("UTC").NightHoursProblem());
    }

    [Fact]
    public void Minutes_in_a_stored_day_ahead_slot_take_its_price_and_the_others_the_fixed_rate()
    {
        var pricing = new ChargePricing(NightRates("UTC"));
        // 22:00-23:00 at 5 p, then nothing stored: 23:00-24:00 is night at the fixed 0.10.
        PriceSlot[] slots = [new(Evening, Evening.AddMinutes(30), 4), new(Evening.AddMinutes(30), Evening.AddHours(1), 6)];

        var cost = pricing.Cost(Session(Evening, Evening.AddHours(2), 18), slots);

        Assert.Equal(Math.Round((4.5 * 0.04 + 4.5 * 0.06 + 9 * 0.10) / 0.9, 2), cost);
    }

    [Fact]
    public void A_price_the_owner_set_wins_over_the_feed_and_the_fixed_rates()
    {
        var pricing = new ChargePricing(NightRates("UTC"));
        var session = Session(Evening, Evening.AddHours(2), 18);
        PriceSlot[] slots = [new(Evening, Evening.AddHours(2), 4)];

        Assert.Equal(Math.Round(18 / 0.9 * 0.25, 2), pricing.Cost(session, slots, new EditedPrice(Evening, 0.25, null)));
        Assert.Equal(3.1, pricing.Cost(session, slots, new EditedPrice(Evening, null, 3.1)));
        Assert.Equal(7.5, pricing.Cost(Session(Evening, null, null), slots, new EditedPrice(Evening, null, 7.5)));
    }

    private static HistoryOptions NightRates(string zone) => new()
    {
        DayPrice = 0.20,
        NightPrice = 0.10,
        NightStart = "22:30",
        NightEnd = "06:00",
        ChargerEfficiency = 0.9,
        TimeZone = zone,
    };

    private static ChargeSession Session(DateTimeOffset start, DateTimeOffset? end, double? energy) =>
        new(start, end, 40, end is null ? null : 80, energy, 7, null);
}
