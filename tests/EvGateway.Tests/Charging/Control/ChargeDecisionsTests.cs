using EvGateway.Charging.Control;
using EvGateway.Manufacturers.Psa;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Charging.Control;

public class ChargeDecisionsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T20:00:00Z");
    private static readonly ChargeControlSetting Eighty = new(80, null);
    private static readonly ChargeWatchRules PsaRules = PsaProvider.WatchRules;

    private static VehicleStatus Charging(double level, double? powerKw = 7.4, DateTimeOffset? updatedAt = null) => new()
    {
        Vin = "VR3UHZKXZLT000001",
        Brand = "Peugeot",
        Model = "e-208",
        BatteryLevel = level,
        PlugState = PlugState.Plugged,
        ChargeState = ChargeState.Charging,
        ChargePowerKw = powerKw,
        UpdatedAt = updatedAt ?? Now,
        FetchedAt = Now,
    };

    [Fact]
    public void A_whole_percent_report_at_the_threshold_waits_half_a_percent_of_charging_time()
    {
        // 7.4 kW into 46 kWh is 16.1 % an hour: half a percent takes about 1 min 52 s.
        var first = ChargeDecisions.CheckThreshold(Charging(80), Eighty, Now, 46, 7.4, Now);
        var later = ChargeDecisions.CheckThreshold(Charging(80), Eighty, Now, 46, 7.4, Now + TimeSpan.FromMinutes(2));

        Assert.False(first.Reached);
        Assert.InRange(first.Wait!.Value, TimeSpan.FromMinutes(1.8), TimeSpan.FromMinutes(1.9));
        Assert.True(later.Reached);
    }

    [Theory]
    [InlineData(81)]
    [InlineData(80.2)]
    public void A_report_above_the_threshold_or_with_decimals_is_taken_as_it_is(double level)
    {
        Assert.True(ChargeDecisions.CheckThreshold(Charging(level), Eighty, Now, 46, 7.4, Now).Reached);
    }

    [Fact]
    public void A_level_below_the_threshold_or_no_threshold_never_stops()
    {
        Assert.Equal(ThresholdCheck.Below, ChargeDecisions.CheckThreshold(Charging(79), Eighty, null, 46, 7.4, Now));
        Assert.Equal(ThresholdCheck.Below, ChargeDecisions.CheckThreshold(Charging(100), ChargeControlSetting.Off, null, 46, 7.4, Now));
    }

    [Fact]
    public void Polling_speeds_up_near_the_threshold_but_never_below_the_floor()
    {
        var normal = TimeSpan.FromMinutes(2);
        var floor = TimeSpan.FromSeconds(30);

        Assert.Equal(normal, ChargeDecisions.NextPollDelay(Charging(50), Eighty, 46, normal, floor));
        Assert.InRange(ChargeDecisions.NextPollDelay(Charging(79.5), Eighty, 46, normal, floor), floor, normal - TimeSpan.FromSeconds(1));
        Assert.Equal(floor, ChargeDecisions.NextPollDelay(Charging(79.9, powerKw: 100), Eighty, 46, normal, floor));
    }

    [Fact]
    public void Stale_data_of_a_plugged_car_asks_for_a_wake_up_sooner_while_fast_charging()
    {
        Assert.False(ChargeDecisions.NeedsWakeUp(Charging(50, updatedAt: Now - TimeSpan.FromMinutes(9)), PsaRules, Now));
        Assert.True(ChargeDecisions.NeedsWakeUp(Charging(50, updatedAt: Now - TimeSpan.FromMinutes(11)), PsaRules, Now));
        Assert.True(ChargeDecisions.NeedsWakeUp(Charging(50, powerKw: 50, updatedAt: Now - TimeSpan.FromMinutes(6)), PsaRules, Now));
    }

    [Fact]
    public void A_parked_car_above_its_threshold_has_its_imminent_delayed_start_moved()
    {
        var parked = Charging(85) with { ChargeState = ChargeState.Waiting, NextDelayedChargeStart = new TimeOnly(22, 30) };

        Assert.True(ChargeDecisions.DelayedStartIsImminent(parked, Eighty, new TimeOnly(22, 10)));
        Assert.False(ChargeDecisions.DelayedStartIsImminent(parked, Eighty, new TimeOnly(21, 0)));
        Assert.False(ChargeDecisions.DelayedStartIsImminent(parked with { BatteryLevel = 70 }, Eighty, new TimeOnly(22, 10)));
    }
}
