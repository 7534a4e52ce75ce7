using EvGateway.Charging.Control;
using EvGateway.Simulator.Cars;
using EvGateway.Vehicles;
using Microsoft.Extensions.Time.Testing;
using static EvGateway.Tests.TestSupport.ChargingSettings;

namespace EvGateway.Tests.Charging.Control;

public sealed class ChargeControllerTests : IDisposable
{
    private const string Vin = "VR3UHZKXZLT000001";
    private const string OtherVin = "VR3UHZKXZLT000002";
    private readonly TemporaryDirectory data = new();
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-25T17:00:00Z"));
    private readonly SimulatedCarsProvider psa;

    public ChargeControllerTests() => psa = new SimulatedCarsProvider("Psa", time, Paris);

    public void Dispose() => data.Dispose();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private GatewayServices Charging(IVehicleProvider provider) =>
        GatewayServices.Compose(settings: InParis(), standIns: [provider], time: time, dataDirectory: data.Path);

    private static async Task<TimeSpan> NextPassAsync(System.Threading.Channels.Channel<TimeSpan> passes)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        patience.CancelAfter(TimeSpan.FromSeconds(10));
        var wait = await passes.Reader.ReadAsync(patience.Token);
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }

    private static int StopsSent(SimulatedCarsProvider provider, string vin) =>
        provider.CommandsFor(vin).Count(c => c.Kind == VehicleCommandKind.ChargeStop);

    [Fact]
    public async Task A_car_charging_from_60_percent_is_stopped_between_80_and_83_percent()
    {
        var car = psa.Add(Vin, level: 60, charging: true);
        await using var charging = Charging(psa);
        await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), Cancel);

        await charging.RunControllerForAsync(TimeSpan.FromHours(5));

        var final = car.Read();
        Assert.False(final.Charging);
        Assert.InRange(final.Level, 80, 82.99);
        Assert.Equal(1, StopsSent(psa, Vin));
    }

    [Fact]
    public async Task A_fast_charging_car_is_still_stopped_below_83_percent()
    {
        var fast = new CarSpec("e-208", CapacityKwh: 46, ChargePowerKw: 100, ConsumptionKwhPer100Km: 15);
        var car = psa.Add(Vin, level: 60, charging: true, spec: fast);
        await using var charging = Charging(psa);
        await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), Cancel);

        await charging.RunControllerForAsync(TimeSpan.FromHours(1));

        Assert.False(car.Read().Charging);
        Assert.InRange(car.Read().Level, 80, 82.99);
    }

    [Fact]
    public async Task Two_cars_with_different_thresholds_are_both_honoured()
    {
        var first = psa.Add(Vin, level: 60, charging: true);
        var second = psa.Add(OtherVin, level: 50, charging: true);
        await using var charging = Charging(psa);
        await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(70, null), Cancel);
        await charging.Store.UpdateAsync(OtherVin, _ => new ChargeControlSetting(90, null), Cancel);

        await charging.RunControllerForAsync(TimeSpan.FromHours(8));

        Assert.InRange(first.Read().Level, 70, 72.99);
        Assert.InRange(second.Read().Level, 90, 92.99);
        Assert.False(first.Read().Charging);
        Assert.False(second.Read().Charging);
    }

    [Fact]
    public async Task A_setting_saved_before_a_restart_is_honoured_by_the_new_controller()
    {
        var car = psa.Add(Vin, level: 60, charging: true);
        await using (var before = Charging(psa))
        {
            await before.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), Cancel);
        }

        await using var after = Charging(psa);
        await after.RunControllerForAsync(TimeSpan.FromHours(5));

        Assert.False(car.Read().Charging);
        Assert.InRange(car.Read().Level, 80, 82.99);
    }

    [Fact]
    public async Task The_stop_time_is_honoured_within_one_poll_interval_and_again_the_next_day()
    {
        // 17:00Z = 18:00 in Paris. The car charges slowly from low, so only the stop time can end the charge.
        var car = psa.Add(Vin, level: 10, charging: true);
        await using var charging = Charging(psa);
        await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(100, new TimeOnly(22, 30)), Cancel);
        var stopTime = DateTimeOffset.Parse("2026-11-25T22:30:00+01:00");

        await charging.RunControllerForAsync(stopTime - time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.True(car.Read().Charging);
        await charging.RunControllerForAsync(TimeSpan.FromMinutes(2));
        Assert.False(car.Read().Charging);
        var stoppedAt = car.Read().Timestamp;
        Assert.InRange(stoppedAt, stopTime, stopTime + TimeSpan.FromMinutes(2));

        // Next evening the car is plugged in and charges again; 22:30 stops it again.
        time.SetUtcNow(DateTimeOffset.Parse("2026-11-26T20:00:00+01:00"));
        car.SetLevel(20);
        car.StartCharging();
        await charging.RunControllerForAsync(TimeSpan.FromHours(2.5) + TimeSpan.FromMinutes(2));

        Assert.False(car.Read().Charging);
        Assert.InRange(car.Read().Timestamp, stopTime.AddDays(1), stopTime.AddDays(1) + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task A_stop_the_car_ignores_is_retried_twice_then_reported_as_last_error()
    {
        var car = psa.Add(Vin, level: 79, charging: true);
        psa.IgnoreStops = true;
        await using var charging = Charging(psa);
        await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), Cancel);

        await charging.RunControllerForAsync(TimeSpan.FromMinutes(30));

        Assert.True(car.Read().Charging);
        Assert.Equal(ChargeController.MaxStopAttempts, StopsSent(psa, Vin));
        Assert.Contains("did not stop", charging.Store.Get(Vin).LastError);
        await using var restarted = Charging(psa);
        Assert.Contains("did not stop", restarted.Store.Get(Vin).LastError);
    }

    [Fact]
    public async Task A_stop_that_takes_on_a_retry_clears_the_error()
    {
        var car = psa.Add(Vin, level: 79, charging: true);
        psa.IgnoreStops = true;
        await using var charging = Charging(psa);
        await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), Cancel);
        await charging.RunControllerForAsync(TimeSpan.FromMinutes(30));
        Assert.NotNull(charging.Store.Get(Vin).LastError);

        // The user unplugs and replugs: a new charge, and this time the car obeys.
        psa.IgnoreStops = false;
        car.Plug(false);
        await charging.RunControllerForAsync(TimeSpan.FromMinutes(5));
        car.Plug(true);
        car.StartCharging();
        car.SetLevel(85);
        await charging.RunControllerForAsync(TimeSpan.FromMinutes(10));

        Assert.False(car.Read().Charging);
        Assert.Null(charging.Store.Get(Vin).LastError);
    }

    [Fact]
    public async Task A_car_whose_data_is_stale_is_woken_and_then_stopped_in_time()
    {
        var car = psa.Add(Vin, level: 60, charging: true, reportsOnlyWhenWoken: true,
            capabilities: [VehicleCapability.BatteryStatus, VehicleCapability.ChargeStop, VehicleCapability.WakeUp]);
        await using var charging = Charging(psa);
        await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), Cancel);

        await charging.RunControllerForAsync(TimeSpan.FromHours(5));

        var wakeUps = psa.CommandsFor(Vin).Count(c => c.Kind == VehicleCommandKind.WakeUp);
        Assert.InRange(wakeUps, 1, 5 * 60 / 5);
        Assert.False(car.Read().Charging);
        Assert.InRange(car.Read().Level, 80, 82.99);
    }

    [Fact]
    public async Task A_refused_wake_up_does_not_keep_the_stop_time_from_stopping_the_charge()
    {
        var car = psa.Add(Vin, level: 20, charging: true, reportsOnlyWhenWoken: true,
            capabilities: [VehicleCapability.BatteryStatus, VehicleCapability.ChargeStop, VehicleCapability.WakeUp]);
        psa.FailWakeUps = new GatewayException(ErrorCodes.WakeUpLimit, 429, "woken too recently", TimeSpan.FromMinutes(30));
        await using var charging = Charging(psa);
        // 17:00Z is 18:00 in Paris: the stop is due in an hour.
        await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(100, new TimeOnly(19, 0)), Cancel);

        await charging.RunControllerForAsync(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.False(car.Read().Charging);
    }

    [Fact]
    public async Task Renault_cars_are_never_read_more_often_than_the_quota_allows()
    {
        var renault = new SimulatedCarsProvider("Renault", time, Paris);
        var fast = new CarSpec("Zoe", CapacityKwh: 52, ChargePowerKw: 22, ConsumptionKwhPer100Km: 17);
        var car = renault.Add("VF1AG000X64000001", level: 70, charging: true, spec: fast);
        await using var charging = Charging(renault);
        await charging.Store.UpdateAsync("VF1AG000X64000001", _ => new ChargeControlSetting(99, null), Cancel);

        await charging.RunControllerForAsync(TimeSpan.FromHours(1));

        // One Renault status read costs up to four calls of the account's 60 an hour: at most one read per
        // 5 minutes, both ends of the hour included.
        Assert.InRange(renault.StatusReads, 1, 60 / 5 + 1);
        Assert.True(car.Read().Level >= 99);
    }

    [Fact]
    public async Task Two_renault_cars_share_the_account_quota()
    {
        var renault = new SimulatedCarsProvider("Renault", time, Paris);
        renault.Add("VF1AG000X64000001", level: 30, charging: true);
        renault.Add("VF1AG000X64000002", level: 40, charging: true);
        await using var charging = Charging(renault);
        await charging.Store.UpdateAsync("VF1AG000X64000001", _ => new ChargeControlSetting(90, null), Cancel);
        await charging.Store.UpdateAsync("VF1AG000X64000002", _ => new ChargeControlSetting(90, null), Cancel);

        await charging.RunControllerForAsync(TimeSpan.FromHours(1));

        // Each car at most every 10 minutes: together no more reads than one car every 5 minutes.
        Assert.InRange(renault.StatusReads, 2, 2 * (60 / 10 + 1));
    }

    [Fact]
    public async Task A_failing_cloud_does_not_stop_the_loop()
    {
        var car = psa.Add(Vin, level: 70, charging: true);
        psa.FailReads = GatewayException.Unavailable("Psa", "HTTP 500");
        await using var charging = Charging(psa);
        await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), Cancel);
        var controller = charging.Controller;
        var passes = System.Threading.Channels.Channel.CreateUnbounded<TimeSpan>();
        controller.PassCompleted += wait => passes.Writer.TryWrite(wait);

        await controller.StartAsync(Cancel);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                time.Advance(await NextPassAsync(passes));
            }

            psa.FailReads = null;
            for (var i = 0; i < 200 && car.Read().Charging; i++)
            {
                time.Advance(await NextPassAsync(passes));
            }
        }
        finally
        {
            await controller.StopAsync(Cancel);
        }

        Assert.False(car.Read().Charging);
        Assert.InRange(car.Read().Level, 80, 82.99);
    }

    [Fact]
    public async Task A_new_setting_wakes_the_sleeping_loop_at_once()
    {
        var car = psa.Add(Vin, level: 85, charging: true);
        await using var charging = Charging(psa);
        var controller = charging.Controller;
        var passes = System.Threading.Channels.Channel.CreateUnbounded<TimeSpan>();
        controller.PassCompleted += wait => passes.Writer.TryWrite(wait);
        await controller.StartAsync(Cancel);
        try
        {
            await NextPassAsync(passes);

            await charging.Store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), Cancel);

            await NextPassAsync(passes);
        }
        finally
        {
            await controller.StopAsync(Cancel);
        }

        Assert.False(car.Read().Charging);
    }
}
