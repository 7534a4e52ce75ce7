using EvGateway.Manufacturers.Renault;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Manufacturers.Renault;

public class RenaultMappingTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T20:00:00Z");

    private static readonly Vehicle Zoe = new("VF1AAAAA555777999", "Renault", "Renault", "ZOE", "X102VE",
        RenaultCapabilities.For("X102VE").Capabilities, 52);

    [Fact]
    public void A_charging_zoe_maps_level_range_plug_charge_state_power_and_remaining_time()
    {
        var battery = RenaultPayloads.Read<KamereonEnvelope<BatteryStatusAttributes>>("battery-status.2.json").Data!.Attributes;

        var status = RenaultMapping.ToStatus(Zoe, RenaultCapabilities.For("X102VE"), Now, battery, null, null, null);

        Assert.Equal(60, status.BatteryLevel);
        Assert.Equal(141, status.RangeKm);
        Assert.Equal(PlugState.Plugged, status.PlugState);
        Assert.Equal(ChargeState.Charging, status.ChargeState);
        Assert.Equal(27.0, status.ChargePowerKw);
        Assert.Equal(145, status.ChargeRemainingMinutes);
        Assert.Equal(DateTimeOffset.Parse("2020-01-12T21:40:16Z"), status.UpdatedAt);
        Assert.Equal(Now, status.FetchedAt);
    }

    [Fact]
    public void An_unplugged_car_with_a_charge_error_maps_to_unplugged_and_error_with_its_own_time_zone()
    {
        var battery = RenaultPayloads.Read<KamereonEnvelope<BatteryStatusAttributes>>("battery-status.1.json").Data!.Attributes;

        var status = RenaultMapping.ToStatus(Zoe, RenaultCapabilities.For("X102VE"), Now, battery, null, null, null);

        Assert.Equal(PlugState.Unplugged, status.PlugState);
        Assert.Equal(ChargeState.Error, status.ChargeState);
        Assert.Null(status.ChargeRemainingMinutes);
        Assert.Equal(DateTimeOffset.Parse("2020-11-17T08:06:48Z"), status.UpdatedAt);
    }

    [Fact]
    public void Cockpit_location_and_climate_fill_odometer_gps_and_climate()
    {
        var cockpit = RenaultPayloads.Read<KamereonEnvelope<CockpitAttributes>>("cockpit.zoe_50.json").Data!.Attributes;
        var location = RenaultPayloads.Read<KamereonEnvelope<LocationAttributes>>("location.1.json").Data!.Attributes;
        var hvac = RenaultPayloads.Read<KamereonEnvelope<HvacStatusAttributes>>("hvac-status.zoe_50.json").Data!.Attributes;

        var status = RenaultMapping.ToStatus(Zoe, RenaultCapabilities.For("X102VE"), Now, null, cockpit, location, hvac);

        Assert.Equal(5785.75, status.OdometerKm);
        Assert.Equal(new VehicleLocation(48.1234567, 11.1234567, null, DateTimeOffset.Parse("2020-02-18T16:58:38Z")), status.Location);
        Assert.Equal(new ClimateStatus(true), status.Climate);
        Assert.Null(status.BatteryLevel);
        Assert.Equal(ChargeState.Unknown, status.ChargeState);
    }

    [Theory]
    [InlineData(0.0, ChargeState.NotCharging)]
    [InlineData(0.1, ChargeState.Waiting)]
    [InlineData(0.2, ChargeState.Ended)]
    [InlineData(0.3, ChargeState.Waiting)]
    [InlineData(0.4, ChargeState.NotCharging)]
    [InlineData(1.0, ChargeState.Charging)]
    [InlineData(-1.0, ChargeState.Error)]
    [InlineData(-1.1, ChargeState.Unknown)]
    public void Charging_status_codes_map_to_charge_states(double code, ChargeState expected) =>
        Assert.Equal(expected, RenaultMapping.ToChargeState(code));

    [Theory]
    [InlineData(0, PlugState.Unplugged)]
    [InlineData(1, PlugState.Plugged)]
    [InlineData(-1, PlugState.Error)]
    [InlineData(int.MinValue, PlugState.Unknown)]
    public void Plug_status_codes_map_to_plug_states(int code, PlugState expected) =>
        Assert.Equal(expected, RenaultMapping.ToPlugState(code));

    [Theory]
    [InlineData(7.4, false, 7.4)]
    [InlineData(2300, true, 2.3)]
    [InlineData(22000, false, 22)]
    [InlineData(300, true, 0.3)]
    public void Charge_power_in_watts_is_converted_to_kilowatts(double reported, bool modelReportsWatts, double expectedKw) =>
        Assert.Equal(expectedKw, RenaultMapping.ToKilowatts(reported, modelReportsWatts));

    [Fact]
    public void A_renault_5_battery_read_without_power_maps_to_not_charging_without_power()
    {
        var battery = RenaultPayloads.Read<KamereonEnvelope<BatteryStatusAttributes>>("battery-status.renault_5.json").Data!.Attributes;

        var status = RenaultMapping.ToStatus(Zoe, RenaultCapabilities.For("R5E1VE"), Now, battery, null, null, null);

        Assert.Equal(49, status.BatteryLevel);
        Assert.Equal(ChargeState.NotCharging, status.ChargeState);
        Assert.Null(status.ChargePowerKw);
    }
}
