using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;
using static EvGateway.Tests.Manufacturers.Renault.RenaultAdapter;

namespace EvGateway.Tests.Manufacturers.Renault;

public class RenaultProviderTests
{
    [Fact]
    public async Task Status_values_equal_the_simulated_cars_values_after_mapping()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);

        var status = await rig.Provider.GetStatusAsync(zoe, Ct);

        var car = rig.Cloud.Car(RenaultCloud.DemoZoePhase2Vin).Read();
        Assert.Equal(Math.Round(car.Level), status.BatteryLevel);
        Assert.Equal(Math.Round(car.RangeKm), status.RangeKm);
        Assert.Equal(PlugState.Plugged, status.PlugState);
        Assert.Equal(ChargeState.Charging, status.ChargeState);
        Assert.Equal(car.ChargePowerKw, status.ChargePowerKw);
        Assert.Equal(car.RemainingMinutes, status.ChargeRemainingMinutes);
        Assert.Equal(car.OdometerKm, status.OdometerKm);
        Assert.Equal(car.Latitude, status.Location?.Latitude);
        Assert.Equal(car.Longitude, status.Location?.Longitude);
        Assert.Equal(new ClimateStatus(false), status.Climate);
        Assert.Equal(rig.Time.GetUtcNow(), status.FetchedAt);
        Assert.Equal("ZOE", status.Model);
    }

    [Fact]
    public async Task A_zoe_phase_1_reports_power_in_watts_and_the_gateway_converts_it_to_kilowatts()
    {
        await using var rig = await StartAsync();
        rig.Cloud.Car(RenaultCloud.DemoZoePhase1Vin).StartCharging();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase1Vin);

        var status = await rig.Provider.GetStatusAsync(zoe, Ct);

        Assert.Equal(ChargeState.Charging, status.ChargeState);
        Assert.Equal(rig.Cloud.Car(RenaultCloud.DemoZoePhase1Vin).Spec.ChargePowerKw, status.ChargePowerKw);
    }

    [Fact]
    public async Task All_demo_cars_are_listed_with_brand_model_and_capabilities_and_the_sfdc_account_is_ignored()
    {
        await using var rig = await StartAsync();

        var vehicles = (await rig.Provider.GetVehiclesAsync(Ct)).ToDictionary(v => v.Vin);

        Assert.Equal(5, vehicles.Count);
        var spring = vehicles[RenaultCloud.DemoSpringVin];
        Assert.Equal(("Dacia", "SPRING", "XBG1VE", 26.8), (spring.Brand, spring.Model, spring.ModelCode, spring.BatteryCapacityKwh));
        var zoe50 = vehicles[RenaultCloud.DemoZoePhase2Vin];
        Assert.Equal(("Renault", "ZOE", "X102VE", 52.0), (zoe50.Brand, zoe50.Model, zoe50.ModelCode, zoe50.BatteryCapacityKwh));
        Assert.True(zoe50.Has(VehicleCapability.ChargeStop));
        Assert.False(zoe50.Has(VehicleCapability.HornLights));
        Assert.False(vehicles[RenaultCloud.DemoZoePhase1Vin].Has(VehicleCapability.Location));
        Assert.False(vehicles[RenaultCloud.DemoMeganeVin].Has(VehicleCapability.ChargeStop));
        var renault5 = vehicles[RenaultCloud.DemoRenault5Vin];
        Assert.True(renault5.Has(VehicleCapability.ChargeStart) && renault5.Has(VehicleCapability.ChargeSchedule));
        Assert.False(renault5.Has(VehicleCapability.ChargeStop));
        Assert.All(vehicles.Values, v => Assert.Equal("Renault", v.Maker));
        // One list per car account: MYRENAULT and MYDACIA, never the SFDC one.
        Assert.Equal(2, rig.Cloud.CallCount("vehicles"));
    }

    [Fact]
    public async Task Only_the_configured_account_is_read_when_Renault_AccountId_is_set()
    {
        await using var rig = await StartAsync(settings: new Dictionary<string, string?> { ["Renault:AccountId"] = RenaultCloud.DemoDaciaAccountId });

        var vehicles = await rig.Provider.GetVehiclesAsync(Ct);

        Assert.Equal(RenaultCloud.DemoSpringVin, Assert.Single(vehicles).Vin);
        Assert.Equal(0, rig.Cloud.CallCount("persons"));
    }

    [Fact]
    public async Task An_endpoint_the_model_lacks_is_never_called_and_its_part_is_absent_from_status()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase1Vin);

        var status = await rig.Provider.GetStatusAsync(zoe, Ct);

        Assert.Null(status.Location);
        Assert.NotNull(status.BatteryLevel);
        Assert.Equal(0, rig.Cloud.CallCount("location"));
    }

    [Fact]
    public async Task A_command_the_model_lacks_is_refused_before_any_cloud_call()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        var megane = await rig.VehicleAsync(RenaultCloud.DemoMeganeVin);
        var before = rig.TotalCalls();

        var horn = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.SendCommandAsync(zoe, new VehicleCommand(VehicleCommandKind.Horn), Ct));
        var stop = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.SendCommandAsync(megane, new VehicleCommand(VehicleCommandKind.ChargeStop), Ct));
        var unlock = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.SendCommandAsync(megane, new VehicleCommand(VehicleCommandKind.Unlock), Ct));

        Assert.All([horn, stop, unlock], e => Assert.Equal(ErrorCodes.CapabilityNotSupported, e.Code));
        Assert.Equal(before, rig.TotalCalls());
    }

    [Fact]
    public async Task An_unknown_model_learns_from_a_refusal_and_does_not_call_that_endpoint_again()
    {
        await using var rig = await StartAsync();
        const string vin = "VF1XZZ00000000099";
        rig.Cloud.AddVehicle(RenaultCloud.DemoRenaultAccountId, vin, "XZZ9VE", RenaultCarSpecs.ZoeZe50, "FUTURE CAR", plugged: true);
        var car = await rig.VehicleAsync(vin);
        Assert.True(car.Has(VehicleCapability.HornLights));

        var first = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.SendCommandAsync(car, new VehicleCommand(VehicleCommandKind.Horn), Ct));
        var second = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.SendCommandAsync(car, new VehicleCommand(VehicleCommandKind.Lights), Ct));

        Assert.Equal(ErrorCodes.CapabilityNotSupported, first.Code);
        Assert.Equal(ErrorCodes.CapabilityNotSupported, second.Code);
        Assert.Equal(1, rig.Cloud.CallCount("horn-lights"));
        Assert.False((await rig.VehicleAsync(vin)).Has(VehicleCapability.HornLights));
        var status = await rig.Provider.GetStatusAsync(car, Ct);
        Assert.Equal(PlugState.Plugged, status.PlugState);
        Assert.NotNull(status.OdometerKm);
    }

    [Fact]
    public async Task Charge_start_and_stop_make_the_simulated_car_start_and_stop_charging()
    {
        await using var rig = await StartAsync();
        var zoe1 = await rig.VehicleAsync(RenaultCloud.DemoZoePhase1Vin);
        var zoe2 = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);

        var started = await rig.Provider.SendCommandAsync(zoe1, new VehicleCommand(VehicleCommandKind.ChargeStart), Ct);
        Assert.True(rig.Cloud.Car(RenaultCloud.DemoZoePhase1Vin).Read().Charging);
        await rig.Provider.SendCommandAsync(zoe1, new VehicleCommand(VehicleCommandKind.ChargeStop), Ct);
        Assert.False(rig.Cloud.Car(RenaultCloud.DemoZoePhase1Vin).Read().Charging);

        // The ZE50 stops through KCM pause-resume and starts through charging-start.
        await rig.Provider.SendCommandAsync(zoe2, new VehicleCommand(VehicleCommandKind.ChargeStop), Ct);
        Assert.False(rig.Cloud.Car(RenaultCloud.DemoZoePhase2Vin).Read().Charging);
        await rig.Provider.SendCommandAsync(zoe2, new VehicleCommand(VehicleCommandKind.ChargeStart), Ct);
        Assert.True(rig.Cloud.Car(RenaultCloud.DemoZoePhase2Vin).Read().Charging);

        Assert.True(started.Accepted);
        Assert.False(string.IsNullOrEmpty(started.CorrelationId));
        Assert.Equal(1, rig.Cloud.CallCount("pause-resume"));
    }

    [Fact]
    public async Task Climate_start_and_stop_switch_the_simulated_cars_climate()
    {
        await using var rig = await StartAsync();
        var spring = await rig.VehicleAsync(RenaultCloud.DemoSpringVin);

        await rig.Provider.SendCommandAsync(spring, new VehicleCommand(VehicleCommandKind.ClimateStart), Ct);
        Assert.True(rig.Cloud.Car(RenaultCloud.DemoSpringVin).Read().ClimateActive);
        Assert.Equal(new ClimateStatus(true), (await rig.Provider.GetStatusAsync(spring, Ct)).Climate);

        await rig.Provider.SendCommandAsync(spring, new VehicleCommand(VehicleCommandKind.ClimateStop), Ct);
        Assert.False(rig.Cloud.Car(RenaultCloud.DemoSpringVin).Read().ClimateActive);
    }

    [Fact]
    public async Task A_500_on_a_read_is_retried_and_the_read_succeeds()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Cloud.FailNext(1, RenaultFault.ServerError500, "battery-status");

        var status = await rig.Provider.GetStatusAsync(zoe, Ct);

        Assert.NotNull(status.BatteryLevel);
        Assert.Equal(2, rig.Cloud.CallCount("battery-status"));
    }

    [Fact]
    public async Task A_read_that_keeps_failing_with_an_html_502_becomes_upstream_unavailable_after_the_retries()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Cloud.FailNext(10, RenaultFault.BadGateway502Html, "battery-status");

        var error = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetStatusAsync(zoe, Ct));

        Assert.Equal(ErrorCodes.UpstreamUnavailable, error.Code);
        Assert.Equal(3, rig.Cloud.CallCount("battery-status"));
    }

    [Fact]
    public async Task A_500_on_a_remote_command_is_not_retried()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase1Vin);
        rig.Cloud.FailNext(1, RenaultFault.ServerError500, "charging-start");

        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            rig.Provider.SendCommandAsync(zoe, new VehicleCommand(VehicleCommandKind.ChargeStart), Ct));

        Assert.Equal(ErrorCodes.UpstreamUnavailable, error.Code);
        Assert.Equal(1, rig.Cloud.CallCount("charging-start"));
        Assert.False(rig.Cloud.Car(RenaultCloud.DemoZoePhase1Vin).Read().Charging);
    }

    [Fact]
    public async Task A_quota_answer_starts_a_cool_down_without_cloud_calls_and_calls_resume_after_it()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Cloud.FailNext(1, RenaultFault.QuotaExceeded429, "battery-status");

        var limited = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetStatusAsync(zoe, Ct));
        Assert.Equal(ErrorCodes.UpstreamRateLimited, limited.Code);
        Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
        Assert.Equal(1, rig.Cloud.CallCount("battery-status"));

        var callsAtCoolDown = rig.TotalCalls();
        rig.Time.Advance(TimeSpan.FromMinutes(10));
        for (var i = 0; i < 5; i++)
        {
            var again = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetStatusAsync(zoe, Ct));
            Assert.Equal(ErrorCodes.UpstreamRateLimited, again.Code);
            Assert.True(again.RetryAfter <= TimeSpan.FromMinutes(5));
        }

        Assert.Equal(callsAtCoolDown, rig.TotalCalls());

        rig.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var status = await rig.Provider.GetStatusAsync(zoe, Ct);
        Assert.NotNull(status.BatteryLevel);
        Assert.Equal(2, rig.Cloud.CallCount("battery-status"));
    }

    [Fact]
    public async Task The_real_hourly_quota_of_the_cloud_is_turned_into_rate_limited()
    {
        await using var rig = await StartAsync(callsPerHour: 8);
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);

        var error = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await rig.Provider.GetStatusAsync(zoe, Ct);
            }
        });

        Assert.Equal(ErrorCodes.UpstreamRateLimited, error.Code);
        Assert.NotNull(error.RetryAfter);
    }

    [Fact]
    public async Task A_rotated_kamereon_api_key_is_reported_as_a_rejected_key()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Cloud.KamereonApiKey = "rotated-key";

        var error = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetStatusAsync(zoe, Ct));

        Assert.Equal(ErrorCodes.UpstreamUnavailable, error.Code);
        Assert.Contains("Kamereon API key rejected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_that_never_answers_becomes_upstream_timeout_after_the_retries()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Cloud.FailNext(3, RenaultFault.Timeout, "battery-status");

        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            rig.Time.AdvanceUntilDoneAsync(rig.Provider.GetStatusAsync(zoe, Ct), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20)));

        Assert.Equal(ErrorCodes.UpstreamTimeout, error.Code);
        Assert.Equal(504, error.StatusCode);
        Assert.Equal(3, rig.Cloud.CallCount("battery-status"));
    }

    [Fact]
    public async Task A_remote_command_that_never_answers_is_an_upstream_timeout_and_is_not_sent_twice()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase1Vin);
        rig.Cloud.FailNext(1, RenaultFault.Timeout, "charging-start");

        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            rig.Time.AdvanceUntilDoneAsync(rig.Provider.SendCommandAsync(zoe, new VehicleCommand(VehicleCommandKind.ChargeStart), Ct),
                TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20)));

        Assert.Equal(ErrorCodes.UpstreamTimeout, error.Code);
        Assert.Equal(1, rig.Cloud.CallCount("charging-start"));
    }

    [Fact]
    public async Task An_unknown_vin_is_vehicle_not_found()
    {
        await using var rig = await StartAsync();
        var ghost = new Vehicle("VF1GHOST000000000", "Renault", "Renault", "ZOE", "X102VE", new HashSet<VehicleCapability>(), null);

        var error = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetStatusAsync(ghost, Ct));

        Assert.Equal(ErrorCodes.VehicleNotFound, error.Code);
    }
}
