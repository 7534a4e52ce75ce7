using EvGateway.Charging.Control;
using EvGateway.Charging.Smart;
using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;
using Microsoft.Extensions.Time.Testing;
using static EvGateway.Tests.TestSupport.ChargingSettings;

namespace EvGateway.Tests.Charging.Control;

/// <summary>Charge control and smart charging through the real PSA adapter (REST + MQTT) against the simulated PSA cloud.</summary>
public sealed class PsaChargeControlTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-25T17:00:00Z"));
    private TestBed bed = null!;

    public async ValueTask InitializeAsync() => bed = await TestBed.StartAsync(new SimulatorOptions { TimeProvider = time, CarTimeZone = Paris });

    public ValueTask DisposeAsync() => bed.DisposeAsync();

    private GatewayServices Gateway(IDictionary<string, string?>? extra = null) => GatewayServices.Compose(bed, Makers.Psa, InParisOverAdapters(extra));

    [Fact]
    public async Task An_e208_charging_from_60_percent_is_stopped_between_80_and_83_percent()
    {
        var car = bed.Psa.Car(PsaCloud.DemoE208Vin);
        car.SetLevel(60);
        car.StartCharging();
        await using var charging = Gateway();
        await charging.Store.UpdateAsync(PsaCloud.DemoE208Vin, _ => new ChargeControlSetting(80, null), TestContext.Current.CancellationToken);

        await charging.RunControllerForAsync(TimeSpan.FromHours(4));

        var final = car.Read();
        Assert.False(final.Charging);
        Assert.InRange(final.Level, 80, 82.99);
        Assert.Null(charging.Store.Get(PsaCloud.DemoE208Vin).LastError);
    }

    [Fact]
    public async Task The_stop_hour_stops_the_e208_within_one_poll_interval()
    {
        var car = bed.Psa.Car(PsaCloud.DemoE208Vin);
        car.SetLevel(10);
        car.StartCharging();
        await using var charging = Gateway();
        await charging.Store.UpdateAsync(PsaCloud.DemoE208Vin, _ => new ChargeControlSetting(100, new TimeOnly(22, 30)),
            TestContext.Current.CancellationToken);
        var stopTime = DateTimeOffset.Parse("2026-11-25T22:30:00+01:00");

        await charging.RunControllerForAsync(stopTime - time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.True(car.Read().Charging);
        await charging.RunControllerForAsync(TimeSpan.FromMinutes(2));

        Assert.False(car.Read().Charging);
        Assert.InRange(car.Read().Timestamp, stopTime, stopTime + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task A_smart_charge_sets_the_delayed_start_and_the_e208_reaches_its_target_by_ready_by()
    {
        var car = bed.Psa.Car(PsaCloud.DemoE208Vin);
        car.SetLevel(40);
        car.StopCharging();
        // Half-hour prices from 17:00 UTC; the cheapest two and a half hours start around 00:30 UTC (01:30 in Paris).
        double[] prices = [30, 32, 35, 31, 26, 24, 22, 20, 18, 17, 15, 14, 12, 11, 8, 7, 6, 6.5, 7, 7.5, 9, 13, 16, 20, 24, 27];
        var tariff = bed.Data.File("agile.json");
        var start = time.GetUtcNow();
        await AgilePrices.WriteAsync(tariff, start, prices);
        await using var charging = Gateway(new Dictionary<string, string?> { ["Tariff:Url"] = tariff });
        var readyBy = DateTimeOffset.Parse("2026-11-26T07:00:00+01:00");

        var applied = await charging.Get<SmartChargeService>().ApplyAsync(PsaCloud.DemoE208Vin, 80, readyBy, null, TestContext.Current.CancellationToken);
        var windowStart = applied.Plan.Slots[0].Start;
        await charging.RunControllerForAsync(windowStart - time.GetUtcNow() - TimeSpan.FromMinutes(5));
        var beforeWindow = car.Read();
        await charging.RunControllerForAsync(readyBy - time.GetUtcNow());
        var atReadyBy = car.Read();

        Assert.Contains(bed.Psa.Published, command => command.Service.EndsWith("/VehCharge", StringComparison.Ordinal));
        Assert.InRange(windowStart, DateTimeOffset.Parse("2026-11-26T00:30:00Z"), DateTimeOffset.Parse("2026-11-26T01:30:00Z"));
        Assert.False(beforeWindow.Charging);
        Assert.Equal(40, beforeWindow.Level, precision: 1);
        Assert.InRange(atReadyBy.Level, 80, 82.99);
        Assert.False(atReadyBy.Charging);
    }
}
