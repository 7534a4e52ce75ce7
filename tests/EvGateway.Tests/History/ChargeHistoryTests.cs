using EvGateway.History;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Tests.History;

public sealed class ChargeHistoryTests
{
    private const string Vin = "VF1AG000164000001";
    private const double Capacity = 52;
    private static readonly DateTimeOffset Evening = new(2026, 11, 28, 20, 0, 0, TimeSpan.Zero);
    private static readonly Place House = new(48.85660, 2.35220);

    // 100 m north of the house, and a charger in another town.
    private static readonly Place Driveway = new(48.85750, 2.35220);
    private static readonly Place Supermarket = new(48.90000, 2.40000);

    [Fact]
    public void Without_a_home_setting_home_is_where_the_most_energy_was_added_and_a_place_within_150_m_of_it_is_home()
    {
        using var store = new HistoryStore();
        var samples = Charge(0, Supermarket, 20, 40).Concat(Charge(1, House, 20, 60)).Concat(Charge(2, Driveway, 30, 50));

        var charges = History(store, new HistoryOptions()).Priced(Vin, Capacity, samples, Evening, Evening.AddDays(3));

        Assert.Equal(["away", "home", "home"], charges.Select(c => c.HomeOrAway));
    }

    [Fact]
    public void A_home_setting_decides_home_and_the_average_power_is_the_energy_over_the_duration()
    {
        using var store = new HistoryStore();
        var samples = Charge(0, Supermarket, 20, 80).Concat(Charge(1, House, 20, 30));

        var charges = History(store, new HistoryOptions { Home = "48.8566, 2.3522" }).Priced(Vin, Capacity, samples, Evening, Evening.AddDays(3));

        Assert.Equal(["away", "home"], charges.Select(c => c.HomeOrAway));
        // 60 points of 52 kWh in the three hours between the parked sample and the one after the charge.
        Assert.Equal(Math.Round(0.6 * Capacity / 3, 2), charges[0].AveragePowerKw);
    }

    [Theory]
    [InlineData("48.8566")]
    [InlineData("north,east")]
    [InlineData("95,2.35")]
    public void A_home_that_is_not_a_latitude_and_longitude_is_refused(string home)
    {
        Assert.Contains("History:Home", new HistoryOptions { Home = home }.HomeProblem());
    }

    private static ChargeHistory History(HistoryStore store, HistoryOptions options) =>
        new(store.Database, new ChargePricing(options), Options.Create(options));

    // A parked sample, a charge seen only by the level it reached three hours later (no power reported), and a parked sample.
    private static IEnumerable<HistorySample> Charge(int day, Place at, double from, double to)
    {
        var start = Evening.AddDays(day);
        return
        [
            new(Vin, start, start, from, null, 1000 + day, PlugState.Plugged, ChargeState.NotCharging, null, at.Latitude, at.Longitude),
            new(Vin, start.AddHours(3), start.AddHours(3), to, null, 1000 + day, PlugState.Plugged, ChargeState.NotCharging, null, at.Latitude,
                at.Longitude),
        ];
    }
}
